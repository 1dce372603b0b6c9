using System.Collections;

namespace Dunning.Import;

/// <summary>
/// The problems of one import as they are met: every one is counted (<see cref="Found"/>), the first
/// <see cref="DefaultKeep"/> are kept. A file of a million bad rows is refused with its first thousand problems and
/// the count, not with a million held in memory.
/// </summary>
public sealed class ImportErrors(int keep = ImportErrors.DefaultKeep) : ICollection<ImportError>
{
    /// <summary>Enough to fix a file by, few enough to read and to hold.</summary>
    public const int DefaultKeep = 1_000;

    private readonly List<ImportError> kept = [];

    /// <summary>How many problems were found, kept or not.</summary>
    public int Found { get; private set; }

    /// <summary>How many are kept (the first found, in order): zero exactly when none was found.</summary>
    public int Count => kept.Count;

    public bool IsReadOnly => false;

    public void Add(ImportError item)
    {
        ArgumentNullException.ThrowIfNull(item);
        Found++;
        if (kept.Count < keep)
        {
            kept.Add(item);
        }
    }

    public void AddRange(IEnumerable<ImportError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        foreach (var error in errors)
        {
            Add(error);
        }
    }

    /// <summary>
    /// The problems of a later part of the same import (the next file), after these: kept while there is room, every
    /// one counted, as if each had been added here.
    /// </summary>
    public void AddLater(ImportErrors later)
    {
        ArgumentNullException.ThrowIfNull(later);
        AddRange(later.kept);
        Found += later.Found - later.Count;
    }

    public void Clear()
    {
        kept.Clear();
        Found = 0;
    }

    public bool Contains(ImportError item) => kept.Contains(item);

    public void CopyTo(ImportError[] array, int arrayIndex) => kept.CopyTo(array, arrayIndex);

    /// <summary>Problems are only ever added: an import never takes one back.</summary>
    public bool Remove(ImportError item) => throw new NotSupportedException("An import's problems are only added.");

    public IEnumerator<ImportError> GetEnumerator() => kept.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
