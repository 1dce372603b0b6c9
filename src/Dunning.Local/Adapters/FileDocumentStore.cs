using System.Text;
using Dunning.Common;
using Dunning.Evidence;
using Dunning.Messages;
using Dunning.Ports;

namespace Dunning.Local.Adapters;

/// <summary>
/// Letters as printable HTML in <c>letters/&lt;invoice&gt;/&lt;key&gt;.html</c>, evidence bundles as a folder
/// <c>evidence/&lt;invoice&gt;/</c> holding the bundle's files. Both are written to a temp place and renamed into
/// place, and never overwritten. Locations are returned relative to the data folder (they are stored in cases).
/// </summary>
public sealed class FileDocumentStore : IDocumentStore
{
    public FileDocumentStore(string dataFolder)
    {
        DataFolder = Path.GetFullPath(dataFolder);
        Directory.CreateDirectory(Letters);
        Directory.CreateDirectory(Evidence);
        FileNames.SweepTemp(Letters);
        FileNames.SweepTemp(Evidence);
    }

    public string DataFolder { get; }

    public string Letters => Path.Combine(DataFolder, "letters");

    public string Evidence => Path.Combine(DataFolder, "evidence");

    public async Task<string> SaveLetterAsync(InvoiceId invoice, string key, Message letter, CancellationToken ct)
    {
        var relative = $"letters/{invoice.Value}/{FileNames.FromKey(key)}.html";
        var target = Path.Combine(DataFolder, relative);
        if (File.Exists(target))
        {
            return relative;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temp = FileNames.TempFolder(Letters);
        try
        {
            var file = Path.Combine(temp, "letter.html");
            await File.WriteAllTextAsync(file, letter.Html, new UTF8Encoding(false), ct);
            FileNames.MoveIntoPlace(file, target);
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }

        return relative;
    }

    public async Task<string> SaveEvidenceAsync(InvoiceId invoice, EvidenceBundle bundle, CancellationToken ct)
    {
        var relative = $"evidence/{invoice.Value}";
        var target = Path.Combine(DataFolder, relative);
        if (Directory.Exists(target))
        {
            return relative;
        }

        var temp = FileNames.TempFolder(Evidence);
        try
        {
            var folder = Path.Combine(temp, invoice.Value);
            Directory.CreateDirectory(folder);
            foreach (var file in bundle.Files)
            {
                await File.WriteAllTextAsync(Path.Combine(folder, Path.GetFileName(file.Name)), file.Content, new UTF8Encoding(false), ct);
            }

            try
            {
                Directory.Move(folder, target);
            }
            catch (IOException) when (Directory.Exists(target))
            {
                // Another runner filed the same bundle first: the folder is write-once, theirs stands.
            }
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }

        return relative;
    }

    /// <summary>The absolute path of a location this store returned.</summary>
    public string FullPath(string relative) => Path.GetFullPath(Path.Combine(DataFolder, relative));
}
