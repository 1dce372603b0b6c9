using Dunning.Common;
using Dunning.Customers;

namespace Dunning.Policies;

/// <summary>
/// The built-in policy: what a careful small business does without configuring anything.
/// Every value here is documented in docs/policy.md and can be overridden with --policy.
/// </summary>
public static class DefaultPolicy
{
    public static readonly DunningPolicy Value = new(
        GraceDays: 3,
        Window: new ContactWindow(new TimeOnly(8, 0), new TimeOnly(20, 0), AllowWeekends: false),
        Cap: new FrequencyCap(MaxContacts: 2, Days: 7),
        Ladder: ValueList.Of(
            new LadderStep("courtesy", -3, Channel.Email, Tone.Friendly, ContactRole.Billing, "courtesy"),
            new LadderStep("gentle", 3, Channel.Email, Tone.Friendly, ContactRole.Billing, "gentle"),
            new LadderStep("firm", 14, Channel.Email, Tone.Firm, ContactRole.Billing, "firm"),
            new LadderStep("letter", 21, Channel.Letter, Tone.Firm, ContactRole.Manager, "invoice-copy"),
            new LadderStep("call", 28, Channel.Call, Tone.Firm, ContactRole.Manager, "call"),
            new LadderStep("final", 35, Channel.Email, Tone.Final, ContactRole.Owner, "final-notice", DeadlineDays: 14)),
        Plans: new PlanRules(
            MaxInstallments: 12,
            MinimumInstallment: 25m,
            GraceDays: 3,
            MissesAllowed: 1,
            MaxDaysBetweenInstallments: 31),
        LateCharges: new LateChargeRules(ClaimStatutory: false, ApplyAtStep: "final"),
        Resolution: new ResolutionRules(MinimumToPursue: 100m, AgencyCommissionPercent: 25m),
        Business: new BusinessProfile(
            Name: "Your Business Ltd",
            Email: "accounts@example.com",
            OwnerName: "The Owner",
            Phone: "+1 555 0100",
            Address: "1 Main Street, Springfield",
            PaymentLinkTemplate: "https://pay.example.com/i/{invoiceNumber}",
            BankTransfer: "Account 12345678, routing 021000021, reference {invoiceNumber}",
            ChequePayableTo: "Your Business Ltd",
            ChequeAddress: "1 Main Street, Springfield",
            OwnerNote: "We value working with you; if something is wrong with what we delivered, just tell us."));
}
