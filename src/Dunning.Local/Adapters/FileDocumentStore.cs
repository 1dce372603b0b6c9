using System.Text;
using Dunning.Common;
using Dunning.Evidence;
using Dunning.Messages;
using Dunning.Ports;

namespace Dunning.Local.Adapters;

/// <summary>
/// Letters as the PDF to post in <c>letters/&lt;invoice&gt;/&lt;key&gt;.pdf</c> with the same letter as HTML beside it
/// (<c>.html</c>, for reading on screen), evidence bundles as a folder
/// <c>evidence/&lt;invoice&gt;/</c> holding the bundle's files (text and the PDF statement). Both are written to a temp place and renamed into
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

    public async Task<string> SaveLetterAsync(InvoiceId invoice, string key, Message letter, byte[] pdf, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(letter);
        var relative = $"letters/{invoice.Value}/{FileNames.FromKey(key)}";
        var target = Path.Combine(DataFolder, relative);
        // The PDF is moved last, so its presence means the letter is complete (a crash in between redoes the pair).
        if (File.Exists(target + ".pdf"))
        {
            return relative + ".pdf";
        }

        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temp = FileNames.TempFolder(Letters);
        try
        {
            var html = Path.Combine(temp, "letter.html");
            await File.WriteAllTextAsync(html, letter.Html, new UTF8Encoding(false), ct);
            var file = Path.Combine(temp, "letter.pdf");
            await File.WriteAllBytesAsync(file, pdf, ct);
            FileNames.MoveIntoPlace(html, target + ".html");
            FileNames.MoveIntoPlace(file, target + ".pdf");
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }

        return relative + ".pdf";
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
                // Text files as UTF-8 without a byte order mark, the PDF as it was rendered.
                await File.WriteAllBytesAsync(Path.Combine(folder, Path.GetFileName(file.Name)), file.ToBytes(), ct);
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
