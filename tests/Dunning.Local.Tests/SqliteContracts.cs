using Dunning.Local.Storage;
using Dunning.Local.Tests.Support;
using Dunning.Ports;
using Dunning.Tests.Ports;

namespace Dunning.Local.Tests;

/// <summary>The SQLite stores against the same port contracts as every other adapter, each on a fresh file.</summary>
public sealed class SqliteLedgerContract : LedgerContract, IDisposable
{
    private readonly TempFolder folder = new("dunning-ledger");

    protected override Task<ILedger> CreateAsync() =>
        Task.FromResult<ILedger>(new SqliteLedger(Database.Open(folder.Combine(Database.FileName))));

    public void Dispose() => folder.Dispose();
}

public sealed class SqliteCaseStoreContract : CaseStoreContract, IDisposable
{
    private readonly TempFolder folder = new("dunning-cases");

    protected override Task<ICaseStore> CreateAsync() =>
        Task.FromResult<ICaseStore>(new SqliteCaseStore(Database.Open(folder.Combine(Database.FileName))));

    /// <summary>This store answers exactly: an import reads no case that is not there.</summary>
    [Fact]
    public async Task Asked_which_invoices_have_a_case_it_answers_exactly_those()
    {
        var store = await CreateAsync();
        await store.SaveAsync(PortSamples.Record(PortSamples.Case("A")), default);
        await store.SaveAsync(PortSamples.Record(PortSamples.Case("C")), default);

        var with = await store.WithCasesAsync([new("A"), new("B"), new("C"), new("A"), new("D")], default);

        Assert.Equal(["A", "C"], with.Select(i => i.Value).Order(StringComparer.Ordinal));
        Assert.Empty(await store.WithCasesAsync([new("B")], default));
    }

    public void Dispose() => folder.Dispose();
}

public sealed class SqliteWebhookInboxContract : WebhookInboxContract, IDisposable
{
    private readonly TempFolder folder = new("dunning-inbox");

    protected override Task<IWebhookInbox> CreateAsync() =>
        Task.FromResult<IWebhookInbox>(new SqliteWebhookInbox(Database.Open(folder.Combine(Database.FileName))));

    public void Dispose() => folder.Dispose();
}
