using System.Text.Json.Serialization;
using Dunning.Customers;
using Dunning.Messages;
using Dunning.Policies;

namespace Dunning.Cases;

/// <summary>Where a contact goes: an email address, a postal address or a phone number.</summary>
public sealed record Recipient(string Name, string Address);

/// <summary>
/// A side effect a host performs for a case. <see cref="Key"/> is unique within the case, so
/// "{invoiceId}/{key}" is the idempotency key that makes a retried action happen once in effect.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$type")]
[JsonDerivedType(typeof(Contact), "contact")]
[JsonDerivedType(typeof(FileEvidence), "file-evidence")]
public abstract record CaseAction
{
    private CaseAction()
    {
    }

    public abstract string Key { get; init; }

    /// <summary>Send an email, render a letter for posting, or create a call task for a person.</summary>
    public sealed record Contact(
        string Key,
        ContactPurpose Purpose,
        string StepId,
        Channel Channel,
        ContactRole Role,
        Tone Tone,
        string Template,
        Recipient Recipient,
        Message Message) : CaseAction
    {
        public CaseEvent.ContactMade Done(DateTimeOffset at) =>
            new(at, Key, Purpose, StepId, Channel, Role, Recipient.Address, Template, Message.Subject);
    }

    /// <summary>Build the evidence bundle and flag the case for a person to take to court or an agency.</summary>
    public sealed record FileEvidence(string Key, Recommendation Recommendation) : CaseAction
    {
        public CaseEvent.CaseFlagged Done(DateTimeOffset at, string evidenceLocation) =>
            new(at, Recommendation, evidenceLocation);
    }
}

/// <summary>What a case does next. Drivers interpret it; they never decide anything themselves.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$type")]
[JsonDerivedType(typeof(Perform), "perform")]
[JsonDerivedType(typeof(Apply), "apply")]
[JsonDerivedType(typeof(Wait), "wait")]
[JsonDerivedType(typeof(Ended), "ended")]
public abstract record Decision
{
    private Decision()
    {
    }

    /// <summary>Run a side effect, then evolve the case with its result event.</summary>
    public sealed record Perform(CaseAction Action) : Decision;

    /// <summary>A transition the rules decided with no side effect (a charge, a missed installment, a close): evolve with it now.</summary>
    public sealed record Apply(CaseEvent Event) : Decision;

    /// <summary>Wait until <see cref="Until"/> or the next signal, whichever comes first; null waits for a signal only.</summary>
    public sealed record Wait(DateTimeOffset? Until, string Reason) : Decision;

    /// <summary>The case has ended. Signals (a late payment, a refund) may still change its outcome.</summary>
    public sealed record Ended(Outcome Outcome) : Decision;
}
