using System.Text;
using Dunning.Common;
using Dunning.Evidence;
using Dunning.Messages;
using Dunning.Ports;

namespace Dunning.Local.Adapters;

/// <summary>
/// Letters as the PDF to post in <c>letters/&lt;invoice&gt;/&lt;key&gt;.pdf</c> with the same letter as HTML beside it
/// (<c>.html</c>, for reading on screen), evidence bundles as a folder
/// <c>evidence/&lt;invoice&gt;/</c> holding the bundle's files (text and the PDF statement). Each letter file is written under a temp name in
/// <c>letters/.tmp</c> and renamed into place; a bundle is written into a fresh folder in <c>evidence/.tmp</c>,
/// which is then renamed to its place. Nothing is ever overwritten. Locations are returned relative to the data folder (they are stored in cases).
/// </summary>
public sealed class FileDocumentStore : IDocumentStore
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public FileDocumentStore(string dataFolder)
    {
        DataFolder = Path.GetFullPath(dataFolder);
        Directory.CreateDirectory(Letters);
        Directory.CreateDirectory(Evidence);
        Directory.CreateDirectory(LettersTemp);
        FileNames.SweepTemp(Letters);
        FileNames.SweepTemp(Evidence);
    }

    public string DataFolder { get; }

    public string Letters => Path.Combine(DataFolder, "letters");

    public string Evidence => Path.Combine(DataFolder, "evidence");

    /// <summary>Where a letter's files are written before each is renamed into its invoice's folder (same disk, and out of that folder's listing).</summary>
    private string LettersTemp => Path.Combine(Letters, ".tmp");

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
        await FileNames.WriteOnceAsync(target + ".html", Utf8.GetBytes(letter.Html), LettersTemp, ct);
        await FileNames.WriteOnceAsync(target + ".pdf", pdf, LettersTemp, ct);
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

        // The bundle's own temp folder is the one moved into place: one folder made, files written, one rename.
        var folder = FileNames.TempFolder(Evidence);
        try
        {
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
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        return relative;
    }

    /// <summary>The absolute path of a location this store returned.</summary>
    public string FullPath(string relative) => Path.GetFullPath(Path.Combine(DataFolder, relative));
}
