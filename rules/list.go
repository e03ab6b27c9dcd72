package rules

// All returns the built-in rules in catalog order: the cross-side rules,
// then the per-object rules. The list is explicit: adding a rule means
// adding it here, and giving it a fixture in testdata/<its ID>.
func All() []*Rule {
	return []*Rule{
		DuplicateProxyAddress,
		DuplicateUPN,
		AdminSoftMatchBlocked,
		AdminHardMatchBlocked,
		TypeMismatch,
		SoftMatchAnchored,
		HardMatchTakeoverBlocked,
		SoftMatchDisabled,
		UPNMismatch,
		UPNSuffixUnverified,
		ProxyDomainUnverified,
		SoftDeletedConflict,
		MissingUPN,
		LowercasePrimarySMTP,
		MultiplePrimarySMTP,
		InvalidCharacter,
		TooLong,
		InvalidFormat,
		UnroutableDomain,
		Blank,
		DuplicateMailNickname,
		LargeObject,
		LeadingTrailingSpace,
	}
}
