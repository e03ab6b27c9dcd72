package rules

import (
	"github.com/syncready/syncready/scanner"
)

// CloudSyncFeatureUnsupported finds tenant sync features that Cloud Sync
// does not offer.
var CloudSyncFeatureUnsupported = &Rule{
	ID:        "cloud-sync-feature-unsupported",
	Title:     "the tenant uses a sync feature Cloud Sync does not offer",
	Severity:  Error,
	Impact:    ImpactOther,
	Needs:     []scanner.Fact{scanner.FactFeatures},
	CloudSync: true,
	Doc: `The tenant's onPremisesSynchronization features show a feature of Connect Sync
that Cloud Sync does not offer, so it stops when Connect Sync is switched off:
device writeback (deviceWritebackEnabled; Cloud Sync has no device writeback, which
Microsoft discontinued in favour of Cloud Kerberos trust) and user writeback
(userWritebackEnabled; Cloud Sync does not provision users to Active Directory): error.
Directory extensions (directoryExtensionsEnabled): warning — Cloud Sync maps directory
extensions only for its own application (CloudSyncCustomExtensionsApp) or the Tenant
Schema Extension App Connect created, each one mapped again in the Cloud Sync
configuration, and Microsoft's migration tool refuses a configuration that syncs
directory extensions. Sources: the Connect Sync to Cloud Sync decision guide (the
comparison table), "Cloud sync directory extensions and custom attribute mapping", and
"Migrate to Microsoft Entra Cloud Sync with the migration tool" (prerequisites).`,
	Source: "https://learn.microsoft.com/en-us/entra/identity/hybrid/cloud-sync/connect-to-cloud-sync-decision-guide#comparison-between-microsoft-entra-connect-and-cloud-sync",
	Run: func(p *Pass) {
		f := p.Snap.Tenant.Features
		if f.DeviceWriteback {
			p.Tenant(Finding{
				Attribute: "deviceWritebackEnabled",
				Value:     "true",
				Message:   "the tenant writes devices back to Active Directory (deviceWritebackEnabled): Cloud Sync has no device writeback (Microsoft discontinued it in favour of Cloud Kerberos trust), so it stops when Connect Sync is switched off",
				Fix:       Fix{Text: "Before the move, take what needs written-back devices (Windows Hello for Business certificate trust, AD FS device-based conditional access) to Cloud Kerberos trust and Microsoft Entra conditional access, or keep Connect Sync for it."},
			})
		}
		if f.UserWriteback {
			p.Tenant(Finding{
				Attribute: "userWritebackEnabled",
				Value:     "true",
				Message:   "the tenant writes users back to Active Directory (userWritebackEnabled): Cloud Sync does not provision users from Microsoft Entra ID to Active Directory, so it stops when Connect Sync is switched off",
				Fix:       Fix{Text: "Keep Connect Sync while users must be written back to Active Directory, or create those users in Active Directory before the move."},
			})
		}
		if f.DirectoryExtensions {
			p.Tenant(Finding{
				Severity:  Warning,
				Attribute: "directoryExtensionsEnabled",
				Value:     "true",
				Message:   "the tenant syncs directory extension attributes (directoryExtensionsEnabled): Cloud Sync maps directory extensions only for its own application (CloudSyncCustomExtensionsApp) or Connect's Tenant Schema Extension App, and each must be mapped again in the Cloud Sync configuration; the migration tool refuses such a configuration",
				Fix:       Fix{Text: "List the directory extensions Connect Sync syncs (Synchronization Service Manager, or the Tenant Schema Extension App's extension properties) and add each as a custom attribute mapping in the Cloud Sync configuration before Connect Sync is switched off."},
			})
		}
	},
}
