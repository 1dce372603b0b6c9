using Microsoft.Data.Sqlite;

namespace Dunning.Local.Tests.Support;

/// <summary>A fresh folder under the system temp folder, deleted (with whatever SQLite left open) on dispose.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder(string name = "dunning-test")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public string Write(string name, string text)
    {
        var file = Combine(name);
        File.WriteAllText(file, text);
        return file;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        for (var attempt = 0; attempt < 3 && Directory.Exists(Path); attempt++)
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Thread.Sleep(100);
            }
        }
    }
}
