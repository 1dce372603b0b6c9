using System.Collections.Concurrent;
using System.Globalization;

namespace Dunning.Local.Storage;

/// <summary>
/// One writing process per data folder. Two runners on one folder each keep their own clock and scan day, so a
/// <c>serve</c> beside a <c>run</c> (or a second <c>serve</c>) could move the stored clock backwards; SQLite's own
/// locking only serialises single writes. The lock is <c>dunning.lock</c> held open exclusively for the life of the
/// command (an OS lock: a killed process releases it); who holds it is written beside it, in <c>dunning.lock.owner</c>,
/// because the locked file itself cannot be read by anyone else.
/// </summary>
public sealed class FolderLock : IDisposable
{
    public const string FileName = "dunning.lock";
    public const string OwnerFileName = "dunning.lock.owner";

    // The OS lock is per open file, so a second open in this process would also fail; this names the holder then.
    private static readonly ConcurrentDictionary<string, string> HeldHere = new(StringComparer.Ordinal);

    private readonly FileStream file;
    private readonly string folder;

    private FolderLock(FileStream file, string folder)
    {
        this.file = file;
        this.folder = folder;
    }

    /// <summary>Takes the folder for <paramref name="command"/>, or throws <see cref="FolderLockedException"/> naming who holds it.</summary>
    public static FolderLock Acquire(string dataFolder, string command, TimeProvider? clock = null)
    {
        var folder = Path.GetFullPath(dataFolder);
        Directory.CreateDirectory(folder);
        var owner = string.Create(CultureInfo.InvariantCulture,
            $"pid {Environment.ProcessId} (dunning {command}) since {(clock ?? TimeProvider.System).GetUtcNow():yyyy-MM-dd HH:mm:ss} UTC");
        if (!HeldHere.TryAdd(folder, owner))
        {
            throw new FolderLockedException(folder, HeldHere.TryGetValue(folder, out var holder) ? holder : null);
        }

        try
        {
            var file = new FileStream(Path.Combine(folder, FileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            File.WriteAllText(Path.Combine(folder, OwnerFileName), owner + "\n");
            return new FolderLock(file, folder);
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            HeldHere.TryRemove(folder, out _);
            throw new FolderLockedException(folder, ReadOwner(folder));
        }
        catch
        {
            HeldHere.TryRemove(folder, out _);
            throw;
        }
    }

    public void Dispose()
    {
        file.Dispose();
        HeldHere.TryRemove(folder, out _);
    }

    private static string? ReadOwner(string folder)
    {
        try
        {
            return File.ReadAllText(Path.Combine(folder, OwnerFileName)).Trim() is { Length: > 0 } text ? text : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}

/// <summary>Another process (or command) is using the data folder.</summary>
public sealed class FolderLockedException(string folder, string? holder)
    : Exception($"The data folder {folder} is in use by {holder ?? "another process"}. One process at a time may use a data folder: " +
        "stop it first, or give this command another folder with --data.")
{
    public string Folder { get; } = folder;

    public string? Holder { get; } = holder;
}
