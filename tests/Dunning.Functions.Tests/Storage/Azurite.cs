using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Dunning.Functions.Storage;

namespace Dunning.Functions.Tests.Storage;

/// <summary>
/// Azurite, the local Azure Storage emulator (blob 10000, table 10002). Adapter tests run only when AZURITE=1 says it
/// is running (GitHub Actions starts it); otherwise they are reported as skipped with this reason.
/// </summary>
internal static class Azurite
{
    public const string SkipReason = "Needs Azurite (blob 10000, table 10002): start it and set AZURITE=1 to run the Azure Storage adapter tests.";

    public const string ConnectionString = "UseDevelopmentStorage=true";

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
