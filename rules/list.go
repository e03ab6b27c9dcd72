package rules

// All returns the built-in rules in catalog order (RULES.md). The list is
// explicit: adding a rule means adding it here.
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
