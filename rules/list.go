package rules

// All returns the built-in rules in catalog order: the cross-side rules,
// the rules for a tenant already synced and for Cloud Sync, then the
// per-object rules. The list is explicit: adding a rule means
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
		AnchorChanges,
		SyncedObjectOrphaned,
		CloudSyncLinkedMailbox,
		CloudSyncLimit,
		CloudSyncFeatureUnsupported,
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
