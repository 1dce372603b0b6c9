using System.Globalization;
using Dunning.Cases;
using Dunning.Common;
using Dunning.Customers;
using Dunning.Messages;
using Dunning.Policies;
using Dunning.Simulation;
using static Dunning.Tests.Cases.Given;

namespace Dunning.Tests.Simulation;

/// <summary>
/// The simulator writes subjects only (<see cref="MessageTemplates.ShippedSubjectsOnly"/>): it keeps nothing of a
/// message but its subject, so the runs must be exactly those of full messages.
/// </summary>
public class SubjectsOnlyTests
{
    // Every language and the ladder's channels (email, letter, call), small claims and agencies, plans and promises.
    private static IEnumerable<SimulatedCase> Cases(PaymentModel payer) =>
        from place in new[] { ("US-CA", "USD", "America/Los_Angeles", "en"), ("GB-ENG", "GBP", "Europe/London", "en"), ("DE", "EUR", "Europe/Berlin", "de"), ("FR", "EUR", "Europe/Paris", "fr"), ("ES", "EUR", "Europe/Madrid", "es") }
        from amount in new[] { 80m, 950m, 4_800m, 26_000m }
        let state = Case(amount: amount, currency: place.Item2, zone: place.Item3, jurisdiction: place.Item1)
        select new SimulatedCase(
            state with
            {
                Customer = state.Customer with { Language = place.Item4 },
                Invoice = state.Invoice with { Id = new InvoiceId($"INV-{place.Item1}-{amount.ToString(CultureInfo.InvariantCulture)}") },
            },
            ValueList<CaseEvent>.Empty,
            payer);

    [Theory]
    [InlineData("typical")]
    [InlineData("slow")]
    [InlineData("silent")]
    public void GivenAnyPayer_WhenSimulatedWithSubjectsOnly_ThenStatesContactsAndReportAreThoseOfFullMessages(string model)
    {
        var payer = PaymentModel.Named(model)!;
        for (var seed = 1; seed <= 5; seed++)
        {
            var (full, subjects) = (new Random(seed), new Random(seed));
            var fullRuns = Cases(payer).Select(c => CaseSimulator.Drive(c, DueDay(300), full, MessageTemplates.Shipped)).ToList();
            var subjectRuns = Cases(payer).Select(c => CaseSimulator.Drive(c, DueDay(300), subjects, MessageTemplates.ShippedSubjectsOnly)).ToList();

            Assert.Equal(fullRuns.Select(r => r.Final), subjectRuns.Select(r => r.Final));
            Assert.Equal(fullRuns.Select(r => r.Contacts), subjectRuns.Select(r => r.Contacts));
            Assert.Equal(fullRuns.Select(r => r.Transitions), subjectRuns.Select(r => r.Transitions));
            Assert.Equal(SimulationReport.From(fullRuns, DueDay(300)).ToText(), SimulationReport.From(subjectRuns, DueDay(300)).ToText());
            Assert.All(subjectRuns.SelectMany(r => r.Contacts), c => Assert.False(string.IsNullOrWhiteSpace(c.Subject)));
            Assert.Equal([Channel.Email, Channel.Letter, Channel.Call], subjectRuns.SelectMany(r => r.Contacts).Select(c => c.Channel).Distinct().Order());
        }
    }

    [Theory]
    [InlineData("typical")]
    [InlineData("slow")]
    [InlineData("silent")]
    public void GivenAnyPayer_WhenSimulatedWritingNothing_ThenTheRunsAndReportAreThoseOfFullMessagesButForTheSubjects(string model)
    {
        var payer = PaymentModel.Named(model)!;
        for (var seed = 1; seed <= 5; seed++)
        {
            var (full, none) = (new Random(seed), new Random(seed));
            var fullRuns = Cases(payer).Select(c => CaseSimulator.Drive(c, DueDay(300), full, MessageTemplates.Shipped)).ToList();
            var unwrittenRuns = Cases(payer).Select(c => CaseSimulator.Drive(c, DueDay(300), none, MessageTemplates.WritingNothing)).ToList();

            Assert.Equal(fullRuns.Select(r => r.Contacts.Select(c => c with { Subject = "" })), unwrittenRuns.Select(r => r.Contacts.AsEnumerable()));
            Assert.Equal(fullRuns.Select(r => r.Transitions), unwrittenRuns.Select(r => r.Transitions));
            Assert.Equal(fullRuns.Select(r => Unwritten(r.Final)), unwrittenRuns.Select(r => r.Final));
            Assert.Equal(SimulationReport.From(fullRuns, DueDay(300)), SimulationReport.From(unwrittenRuns, DueDay(300)));
        }
    }

    // The state a run writing nothing ends in: the same, with every contact's subject empty.
    private static CaseState Unwritten(CaseState state) => state with
    {
        History = state.History.Select(e => e is CaseEvent.ContactMade made ? made with { Subject = "" } : e).ToValueList(),
    };

    [Fact]
    public void GivenAContact_WhenWrittenWithSubjectsOnly_ThenItHasTheFullMessagesSubjectAndNoBody()
    {
        var state = Case(currency: "EUR", zone: "Europe/Berlin", jurisdiction: "DE");
        foreach (var channel in new[] { Channel.Email, Channel.Letter, Channel.Call })
        {
            var request = new MessageRequest("firm", Tone.Firm, channel, ContactPurpose.Ladder, new Recipient("Anna", "anna@example.de"), DueDate.AddDays(20), DueDate.AddDays(34));

            var full = Letters.Compose(state, request, MessageTemplates.Shipped);
            var subjectOnly = Letters.Compose(state, request, MessageTemplates.ShippedSubjectsOnly);

            Assert.Equal(full.Subject, subjectOnly.Subject);
            Assert.NotEmpty(full.Text);
            Assert.Equal(new Message(full.Subject, string.Empty, string.Empty), subjectOnly);
        }
    }

    [Fact]
    public void The_shipped_templates_write_whole_messages() =>
        Assert.Equal(MessageParts.Whole, MessageTemplates.Shipped.Writes);
}
