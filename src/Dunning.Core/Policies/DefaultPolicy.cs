using Dunning.Common;
using Dunning.Customers;

namespace Dunning.Policies;

/// <summary>
/// The built-in policy: what a careful small business does without configuring anything.
/// Every value here is documented in docs/policy.md and can be overridden with --policy.
/// </summary>
public static class DefaultPolicy
{
    /// <summary>
    /// Who the messages come from until <c>dunning init</c> says who you are. Every value is a placeholder, and the
    /// numbers cannot route money anywhere (routing 000000000 and account 00000000 are not issued):
    /// hosts refuse to contact anyone while any of them is still in the policy (<see cref="PlaceholdersIn"/>).
    /// </summary>
    public static readonly BusinessProfile Placeholder = new(
        Name: "Your Business Ltd",
        Email: "accounts@example.com",
        OwnerName: "The Owner",
        Phone: "+1 555 0100",
        Address: "1 Main Street, Springfield",
        PaymentLinkTemplate: "https://pay.example.com/i/{invoiceNumber}",
        BankTransfer: "Account 00000000, routing 000000000 (placeholder), reference {invoiceNumber}",
        ChequePayableTo: "Your Business Ltd",
        ChequeAddress: "1 Main Street, Springfield",
        OwnerNote: "We value working with you; if something is wrong with what we delivered, just tell us.");

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
        Business: Placeholder);

    /// <summary>
    /// The fields of <paramref name="business"/> that still hold the built-in placeholders (as "business.name", ...), so
    /// nobody is sent "Your Business Ltd" or a bank account that is not yours. The owner's note is a sentence any
    /// business may keep, not a placeholder.
    /// </summary>
    public static IReadOnlyList<string> PlaceholdersIn(BusinessProfile business)
    {
        ArgumentNullException.ThrowIfNull(business);
        var p = Placeholder;
        var fields = new List<string>();
        void Check(string name, string? value, string? placeholder)
        {
            if (value is not null && placeholder is not null && string.Equals(value.Trim(), placeholder, StringComparison.OrdinalIgnoreCase))
            {
                fields.Add("business." + name);
            }
        }

        Check("name", business.Name, p.Name);
        Check("email", business.Email, p.Email);
        Check("replyTo", business.ReplyTo, p.Email);
        Check("ownerName", business.OwnerName, p.OwnerName);
        Check("phone", business.Phone, p.Phone);
        Check("address", business.Address, p.Address);
        Check("paymentLinkTemplate", business.PaymentLinkTemplate, p.PaymentLinkTemplate);
        Check("bankTransfer", business.BankTransfer, p.BankTransfer);
        Check("chequePayableTo", business.ChequePayableTo, p.ChequePayableTo);
        Check("chequeAddress", business.ChequeAddress, p.ChequeAddress);
        foreach (var pay in business.PaymentsByCurrency)
        {
            Check($"paymentsByCurrency.{pay.Currency}.paymentLinkTemplate", pay.PaymentLinkTemplate, p.PaymentLinkTemplate);
            Check($"paymentsByCurrency.{pay.Currency}.bankTransfer", pay.BankTransfer, p.BankTransfer);
        }

        return fields;
    }
}
