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

    /// <summary>Removes temp folders left by a process killed mid-write (older than an hour, so never one in use).</summary>
    public static void SweepTemp(string root)
    {
        var temp = Path.Combine(root, ".tmp");
        if (!Directory.Exists(temp))
        {
            return;
        }

        foreach (var folder in Directory.EnumerateDirectories(temp))
        {
            if (Directory.GetLastWriteTimeUtc(folder) < DateTime.UtcNow.AddHours(-1))
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
}
