using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Dunning.Functions.Storage;

namespace Dunning.Functions.Tests.Storage;

/// <summary>
/// Azurite, the local Azure Storage emulator. Adapter tests run only when AZURITE=1 says it is running (.ci/run and
/// GitHub Actions start it); otherwise they are reported as skipped with this reason. AZURITE_CONNECTION_STRING names
/// where it listens (.ci/run picks free loopback ports); without it, the emulator's default ports.
/// </summary>
internal static class Azurite
{
    public const string SkipReason = "Needs Azurite: start it and set AZURITE=1 (and AZURITE_CONNECTION_STRING unless it listens on 10000/10002) to run the Azure Storage adapter tests.";

    public static string ConnectionString =>
        Environment.GetEnvironmentVariable("AZURITE_CONNECTION_STRING") is { Length: > 0 } configured ? configured : "UseDevelopmentStorage=true";

    public static bool Enabled => Environment.GetEnvironmentVariable("AZURITE") == "1";

    /// <summary>Skips the calling test unless Azurite is there.</summary>
    public static void Require() => Assert.SkipUnless(Enabled, SkipReason);

    /// <summary>Tables with a prefix no other test uses: a fresh, empty store.</summary>
    public static DunningTables FreshTables()
    {
        Require();
        return new DunningTables(new TableServiceClient(ConnectionString), "T" + Guid.NewGuid().ToString("N")[..12]);
    }

    public static BlobContainerClient FreshContainer()
    {
        Require();
        return new BlobServiceClient(ConnectionString).GetBlobContainerClient("t" + Guid.NewGuid().ToString("N"));
    }
}
