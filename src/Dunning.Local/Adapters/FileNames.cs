using System.Text;

namespace Dunning.Local.Adapters;

/// <summary>File names from keys, and the write-once moves that make a crash leave either nothing or a whole file.</summary>
internal static class FileNames
{
    /// <summary>
    /// "INV-1/step-gentle" becomes "INV-1+step-gentle": ids allow only letters, digits, '.', '_' and '-', so '+'
    /// (what '/' and anything else unsafe becomes) cannot clash with a real id.
    /// </summary>
    public static string FromKey(string key)
    {
        var name = new StringBuilder(key.Length);
        foreach (var c in key)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '+');
        }

        return name.ToString();
    }

    /// <summary>A fresh folder for one write, beside its target so the final move is a rename on the same disk.</summary>
    public static string TempFolder(string root)
    {
        var folder = Path.Combine(root, ".tmp", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>
    /// A fresh name for one file being written in <paramref name="folder"/>: hidden, ending in ".tmp", so no reader of
    /// the folder's real files (the outbox's <c>*.eml</c>) ever sees it, and the final move is a rename in one folder.
    /// </summary>
    public static string TempFile(string folder) => Path.Combine(folder, "." + Guid.NewGuid().ToString("N") + ".tmp");

    /// <summary>
    /// Writes <paramref name="content"/> whole under a temp name in <paramref name="tempFolder"/> (on the same disk as
    /// <paramref name="target"/>) and renames it into place unless a file is already there, so a crash leaves either
    /// nothing or the whole file under the target's name; true when this call put it there. One create and one rename:
    /// no folder is made or removed per write (those take the parent folder's lock, which parallel effects queue on).
    /// </summary>
    public static async Task<bool> WriteOnceAsync(string target, ReadOnlyMemory<byte> content, string tempFolder, CancellationToken ct)
    {
        var temp = TempFile(tempFolder);
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, useAsync: false))
            {
                await file.WriteAsync(content, ct);
            }

            return MoveIntoPlace(temp, target);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>Moves a finished file into place unless one is already there; true when this call put it there.</summary>
    public static bool MoveIntoPlace(string source, string target)
    {
        try
        {
            File.Move(source, target, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(target))
        {
            File.Delete(source);
            return false;
        }
    }

    /// <summary>
    /// Removes what a process killed mid-write left (older than an hour, so never one in use): temp folders and files
    /// in <c>.tmp</c> under <paramref name="root"/>, and hidden <c>.*.tmp</c> files in <paramref name="root"/> itself.
    /// </summary>
    public static void SweepTemp(string root)
    {
        var cutoff = DateTime.UtcNow.AddHours(-1);
        if (Directory.Exists(root))
        {
            foreach (var file in Directory.EnumerateFiles(root, ".*.tmp"))
            {
                Delete(file, cutoff);
            }
        }

        var temp = Path.Combine(root, ".tmp");
        if (!Directory.Exists(temp))
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(temp))
        {
            Delete(file, cutoff);
        }

        foreach (var folder in Directory.EnumerateDirectories(temp))
        {
            if (Directory.GetLastWriteTimeUtc(folder) < cutoff)
            {
                try
                {
                    Directory.Delete(folder, recursive: true);
                }
                catch (IOException)
                {
                    // Another process is sweeping too, or the folder is in use after all: leave it.
                }
            }
        }
    }

    private static void Delete(string file, DateTime cutoff)
    {
        try
        {
            if (File.GetLastWriteTimeUtc(file) < cutoff)
            {
                File.Delete(file);
            }
        }
        catch (IOException)
        {
            // Being swept by another process: leave it.
        }
    }
}
