using Dunning.Local.Storage;
using Dunning.Local.Tests.Support;
using Dunning.Ports;
using Dunning.Tests.Ports;

namespace Dunning.Local.Tests;

/// <summary>The contact ledger's contract on a real SQLite file: one IMMEDIATE transaction per reservation.</summary>
public sealed class SqliteContactLedgerContract : ContactLedgerContract, IDisposable
{
    private readonly TempFolder folder = new("dunning-contacts");

    protected override Task<IContactLedger> CreateAsync() =>
        Task.FromResult<IContactLedger>(new SqliteContactLedger(Database.Open(folder.Combine(Database.FileName))));

    public void Dispose() => folder.Dispose();
}
