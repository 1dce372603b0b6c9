using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Dunning.Common;
using Dunning.Evidence;
using Dunning.Messages;
using Dunning.Ports;

namespace Dunning.Functions.Storage;

/// <summary>
/// <see cref="IDocumentStore"/> on Blob Storage, write-once: every upload is conditional on the blob not existing
/// (If-None-Match: *), and 409/412 means it was written before (a retried activity), which is success. Letters are
/// <c>letters/{invoice}/{key}.pdf</c> (the letter to post) with the HTML and text beside it; an evidence bundle is the files
/// under <c>evidence/{invoice}/</c> (text as UTF-8 with its charset, the statement PDF as <c>application/pdf</c>).
/// </summary>
public sealed class BlobDocumentStore(BlobContainerClient container) : IDocumentStore
{
    private int created;

    public async Task<string> SaveLetterAsync(InvoiceId invoice, string key, Message letter, byte[] pdf, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(letter);
        var name = $"letters/{invoice}/{Uri.EscapeDataString(key)}";
        await WriteOnceAsync(name + ".txt", Text(letter.Subject + "\n\n" + letter.Text), "text/plain; charset=utf-8", ct);
        await WriteOnceAsync(name + ".html", Text(letter.Html), "text/html; charset=utf-8", ct);
        return await WriteOnceAsync(name + ".pdf", BinaryData.FromBytes(pdf), "application/pdf", ct);
    }

    public async Task<string> SaveEvidenceAsync(InvoiceId invoice, EvidenceBundle bundle, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var folder = $"evidence/{invoice}/";
        foreach (var file in bundle.Files)
        {
            await WriteOnceAsync(folder + Uri.EscapeDataString(file.Name), BinaryData.FromBytes(file.ToBytes()), file.ContentTypeHeader, ct);
        }

        return new Uri(container.Uri.AbsoluteUri.TrimEnd('/') + "/" + folder).AbsoluteUri;
    }

    private static BinaryData Text(string content) => BinaryData.FromBytes(Encoding.UTF8.GetBytes(content));

    private async Task<string> WriteOnceAsync(string name, BinaryData content, string contentType, CancellationToken ct)
    {
        if (Volatile.Read(ref created) == 0)
        {
            await container.CreateIfNotExistsAsync(cancellationToken: ct);
            Volatile.Write(ref created, 1);
        }

        var blob = container.GetBlobClient(name);
        try
        {
            await blob.UploadAsync(
                content,
                new BlobUploadOptions
                {
                    HttpHeaders = new BlobHttpHeaders { ContentType = contentType },
                    Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                },
                ct);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412 || e.ErrorCode == BlobErrorCode.BlobAlreadyExists)
        {
            // Written before: documents are never overwritten.
        }

        return blob.Uri.AbsoluteUri;
    }
}
