using System.Text;
using Dunning.Cases;
using Dunning.Common;
using Dunning.Evidence;
using Dunning.Functions.Orchestration;
using Dunning.Functions.Storage;
using Dunning.Messages;
using Dunning.Tests.Ports;
using Dunning.UseCases;
using Microsoft.ApplicationInsights;
using Microsoft.ApplicationInsights.Extensibility;

namespace Dunning.Functions.Tests.Storage;

/// <summary>What the Azure adapters promise beyond the port contracts: keys, long values, write-once documents.</summary>
public sealed class AdapterTests
{
    [Theory]
    [InlineData("plain-id_1.2")]
    [InlineData("evt_1/with:odd#chars?")]
    [InlineData("back\\slash%25 and \u0001 control \u0085 and 100%")]
    public void Keys_escape_what_tables_forbid_and_round_trip(string value)
    {
        var key = TableKeys.Escape(value);

        Assert.DoesNotContain(key, c => c is '/' or '\\' or '#' or '?' || char.IsControl(c));
        Assert.Equal(value, TableKeys.Unescape(key));
    }

    [Fact]
    public void Distinct_values_get_distinct_keys()
    {
        Assert.NotEqual(TableKeys.Escape("a/b"), TableKeys.Escape("a%2Fb"));
    }

    [Fact]
    public void Long_text_is_split_without_breaking_a_surrogate_pair_and_read_back()
    {
        var text = new StringBuilder().Append('x', TableKeys.ChunkChars - 1).Append("😀").Append('y', 70_000).ToString();
        var entity = new Azure.Data.Tables.TableEntity("p", "r");

        TableKeys.WriteChunked(entity, "State", text);

        Assert.Equal(text, TableKeys.ReadChunked(entity, "State"));
        Assert.All(entity.Keys.Where(k => k.StartsWith("State", StringComparison.Ordinal) && k != "StateChunks"),
            k => Assert.False(char.IsHighSurrogate(entity.GetString(k)![^1])));
    }

    [Fact]
    public async Task A_case_with_a_long_history_is_saved_and_read_back()
    {
        var store = new TableCaseStore(Azurite.FreshTables());
        var state = PortSamples.Case();
        for (var i = 0; i < 400; i++)
        {
            state = CaseDecider.Evolve(state, new CaseEvent.PaymentReceived(PortSamples.Now.AddMinutes(i), new Money(0.01m, "USD"), "ref-long-" + i, "generic"));
        }

        var record = PortSamples.Record(state);
        await store.SaveAsync(record, default);

        Assert.Equal(record.State, (await store.GetAsync(state.InvoiceId, default))!.State);
    }

    [Fact]
    public async Task A_projection_saved_as_events_since_the_last_save_folds_into_the_case_stored_in_tables()
    {
        var store = new TableCaseStore(Azurite.FreshTables());
        var activities = new CaseActivities(
            new CaseEffects(new InMemoryMailer(), new InMemoryDocuments(), store, new InMemoryContactLedger()),
            store,
            new InMemorySignalNotes(),
            new TelemetryClient(new TelemetryConfiguration()));
        var opened = PortSamples.Case();
        var paid = CaseDecider.Evolve(opened, new CaseEvent.PaymentReceived(PortSamples.Now.AddHours(1), new Money(10m, "USD"), "pi_tables", "stripe"));
        var status = PortSamples.Record(paid).Status;

        Assert.Equal(ProjectionInput.Saved, await activities.SaveProjectionAsync(ProjectionInput.Whole(opened, PortSamples.Record(opened).Status).ToJson(), default));
        Assert.Equal(ProjectionInput.Saved, await activities.SaveProjectionAsync(ProjectionInput.Delta(paid, opened.History.Count, status).ToJson(), default));

        Assert.Equal(paid, (await store.GetAsync(paid.InvoiceId, default))!.State);
    }

    [Fact]
    public async Task An_older_projection_does_not_replace_a_newer_one()
    {
        var store = new TableCaseStore(Azurite.FreshTables());
        var older = PortSamples.Record(PortSamples.Case());
        var newer = PortSamples.Record(CaseDecider.Evolve(older.State, new CaseEvent.DisputeResolved(PortSamples.Now.AddDays(1), DisputeOutcome.Rejected)));

        await store.SaveAsync(newer, default);
        await store.SaveAsync(older, default);

        Assert.Equal(newer.State, (await store.GetAsync(older.State.InvoiceId, default))!.State);
    }

    [Fact]
    public async Task A_delivery_report_finds_its_email_by_the_operation_id_the_mailer_sent_with()
    {
        var tables = Azurite.FreshTables();
        var table = await tables.GetAsync(DunningTables.SentEmails, default);
        var email = new Dunning.Ports.OutgoingEmail("INV-1/step-gentle", "ar@shop.example", "Shop", "ap@acme.example", "Pat", "Invoice N-1", "text", "<p>html</p>");
        var other = email with { Key = "INV-2/step-firm" };
        await table.AddEntityAsync(SentEmailLog.Row(email, AcsMailer.OperationId(email.Key), "sent"), default);
        await table.AddEntityAsync(SentEmailLog.Row(other, AcsMailer.OperationId(other.Key), "sending"), default);
        var log = new SentEmailLog(tables);

        Assert.Equal("INV-1/step-gentle", await log.KeyOfAsync(AcsMailer.OperationId("INV-1/step-gentle").ToString(), default));
        Assert.Equal("INV-2/step-firm", await log.KeyOfAsync(AcsMailer.OperationId("INV-2/step-firm").ToString(), default));
        Assert.Null(await log.KeyOfAsync(Guid.NewGuid().ToString(), default));
    }

    [Fact]
    public async Task Documents_are_written_once()
    {
        var container = Azurite.FreshContainer();
        var store = new BlobDocumentStore(container);
        var id = new InvoiceId("INV-1");

        var first = await store.SaveLetterAsync(id, "step/letter", new Message("Subject", "text", "<p>first</p>"), [1], default);
        var second = await store.SaveLetterAsync(id, "step/letter", new Message("Subject", "text", "<p>second</p>"), [2], default);
        byte[] statement = [0x25, 0x50, 0x44, 0x46, 0x2D, 0xE2, 0x00, 0xFF];
        var bundle = new EvidenceBundle(id, PortSamples.Now, ValueList.Of<EvidenceFile>(
            new EvidenceFile.Text("timeline.json", "application/json", "[\"Bäckerei £5\"]"),
            new EvidenceFile.Binary("statement-of-account.pdf", "application/pdf", statement)));
        var evidence = await store.SaveEvidenceAsync(id, bundle, default);
        await store.SaveEvidenceAsync(id, bundle with { Files = ValueList.Of<EvidenceFile>(new EvidenceFile.Text("timeline.json", "application/json", "[\"second\"]")) }, default);

        Assert.Equal(first, second);
        var letter = await container.GetBlobClient("letters/INV-1/" + Uri.EscapeDataString("step/letter") + ".html").DownloadContentAsync();
        Assert.Equal("<p>first</p>", letter.Value.Content.ToString());
        var pdf = await container.GetBlobClient("letters/INV-1/" + Uri.EscapeDataString("step/letter") + ".pdf").DownloadContentAsync();
        Assert.Equal([1], pdf.Value.Content.ToArray());
        Assert.EndsWith(".pdf", first, StringComparison.Ordinal);
        Assert.EndsWith("evidence/INV-1/", evidence, StringComparison.Ordinal);
        var timeline = await container.GetBlobClient("evidence/INV-1/timeline.json").DownloadContentAsync();
        Assert.Equal("[\"Bäckerei £5\"]", timeline.Value.Content.ToString());
        Assert.Equal("application/json; charset=utf-8", timeline.Value.Details.ContentType);
        // A binary file is stored byte for byte (bytes that are not UTF-8 included) and labelled as what it is.
        var statementBlob = await container.GetBlobClient("evidence/INV-1/statement-of-account.pdf").DownloadContentAsync();
        Assert.Equal(statement, statementBlob.Value.Content.ToArray());
        Assert.Equal("application/pdf", statementBlob.Value.Details.ContentType);
    }
}
