package graphdir

// The JSON shapes of the export directory's files: the fields of Graph v1.0
// resources that syncready reads. encoding/json matches keys without case,
// so Graph PowerShell's PascalCase exports decode into them too. The live
// Graph reader fills the same structs, so both paths build the snapshot the
// same way (Builder) and an export is exactly what was read.

// User is a user of users.json or deletedUsers.json.
type User struct {
	ID                          string   `json:"id"`
	DisplayName                 string   `json:"displayName,omitempty"`
	UserPrincipalName           string   `json:"userPrincipalName,omitempty"`
	Mail                        string   `json:"mail,omitempty"`
	MailNickname                string   `json:"mailNickname,omitempty"`
	ProxyAddresses              []string `json:"proxyAddresses"`
	OnPremisesImmutableID       string   `json:"onPremisesImmutableId,omitempty"`
	OnPremisesSyncEnabled       *bool    `json:"onPremisesSyncEnabled"`
	OnPremisesDistinguishedName string   `json:"onPremisesDistinguishedName,omitempty"`
	// OnPremisesSecurityIdentifier is the objectSid of the on-premises user
	// a synced user came from (S-1-5-21-…); older exports lack it.
	OnPremisesSecurityIdentifier string `json:"onPremisesSecurityIdentifier,omitempty"`
	UserType                     string `json:"userType,omitempty"`
	CreationType                 string `json:"creationType,omitempty"`
	AccountEnabled               *bool  `json:"accountEnabled,omitempty"`
}

// Group is a group of groups.json.
type Group struct {
	ID                    string   `json:"id"`
	DisplayName           string   `json:"displayName,omitempty"`
	Mail                  string   `json:"mail,omitempty"`
	MailEnabled           *bool    `json:"mailEnabled"`
	SecurityEnabled       *bool    `json:"securityEnabled"`
	MailNickname          string   `json:"mailNickname,omitempty"`
	GroupTypes            []string `json:"groupTypes"`
	ProxyAddresses        []string `json:"proxyAddresses"`
	OnPremisesSyncEnabled *bool    `json:"onPremisesSyncEnabled"`
	IsAssignableToRole    *bool    `json:"isAssignableToRole"`
}

// Contact is an organizational contact of contacts.json.
type Contact struct {
	ID                    string   `json:"id"`
	DisplayName           string   `json:"displayName,omitempty"`
	Mail                  string   `json:"mail,omitempty"`
	MailNickname          string   `json:"mailNickname,omitempty"`
	ProxyAddresses        []string `json:"proxyAddresses"`
	OnPremisesSyncEnabled *bool    `json:"onPremisesSyncEnabled"`
}

// RoleGrant is a role assignment (roleAssignments.json) or eligibility
// schedule (roleEligibilitySchedules.json) with its role definition.
type RoleGrant struct {
	ID               string          `json:"id,omitempty"`
	PrincipalID      string          `json:"principalId"`
	RoleDefinitionID string          `json:"roleDefinitionId,omitempty"`
	DirectoryScopeID string          `json:"directoryScopeId,omitempty"`
	RoleDefinition   *RoleDefinition `json:"roleDefinition,omitempty"`
}

// RoleDefinition names a directory role.
type RoleDefinition struct {
	ID          string `json:"id,omitempty"`
	DisplayName string `json:"displayName"`
}

// Member is a member of roleGroupMembers/<groupId>.json.
type Member struct {
	Type string `json:"@odata.type,omitempty"`
	ID   string `json:"id"`
}

// Domain is a domain of domains.json. IsVerified is nil when the export
// lacks it: unknown, not unverified.
type Domain struct {
	ID         string `json:"id"`
	IsVerified *bool  `json:"isVerified"`
	IsInitial  bool   `json:"isInitial"`
	IsDefault  bool   `json:"isDefault"`
}

// Organization is the tenant of organization.json.
type Organization struct {
	ID              string           `json:"id"`
	DisplayName     string           `json:"displayName,omitempty"`
	VerifiedDomains []VerifiedDomain `json:"verifiedDomains"`
}

// VerifiedDomain is one of an organization's verified domains.
type VerifiedDomain struct {
	Name      string `json:"name"`
	IsInitial bool   `json:"isInitial"`
	IsDefault bool   `json:"isDefault"`
}

// Sync is the tenant's onPremisesSynchronization object.
type Sync struct {
	ID       string        `json:"id,omitempty"`
	Features *SyncFeatures `json:"features"`
}

// SyncFeatures are the features that change what the sync service does; a
// nil value was not set and a new tenant's default is assumed.
type SyncFeatures struct {
	SoftMatchOnUpnEnabled                           *bool `json:"softMatchOnUpnEnabled"`
	BlockSoftMatchEnabled                           *bool `json:"blockSoftMatchEnabled"`
	BlockCloudObjectTakeoverThroughHardMatchEnabled *bool `json:"blockCloudObjectTakeoverThroughHardMatchEnabled"`
	SynchronizeUpnForManagedUsersEnabled            *bool `json:"synchronizeUpnForManagedUsersEnabled"`
	// Features Cloud Sync does not offer (or offers only in part): a move
	// from Connect Sync loses them.
	DeviceWritebackEnabled     *bool `json:"deviceWritebackEnabled,omitempty"`
	UserWritebackEnabled       *bool `json:"userWritebackEnabled,omitempty"`
	DirectoryExtensionsEnabled *bool `json:"directoryExtensionsEnabled,omitempty"`
}
