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

    public void Dispose() => folder.Dispose();
}

public sealed class SqliteWebhookInboxContract : WebhookInboxContract, IDisposable
{
    private readonly TempFolder folder = new("dunning-inbox");

    protected override Task<IWebhookInbox> CreateAsync() =>
        Task.FromResult<IWebhookInbox>(new SqliteWebhookInbox(Database.Open(folder.Combine(Database.FileName))));

    public void Dispose() => folder.Dispose();
}
