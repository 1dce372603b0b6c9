using Dunning.Common;

namespace Dunning.Import;

/// <summary>
/// One problem in an import. From a file: <c>customers.csv:7: country: 'UK' is not ...</c>, where the line is the
/// physical line the record starts on (the header is line 1). From a JSON body (no file, line 0):
/// <c>[2].amount: must be greater than 0</c>.
/// </summary>
public sealed record ImportError(string File, int Line, string Column, string Reason)
{
    public override string ToString()
    {
        var where = File.Length == 0 && Line == 0 ? string.Empty : $"{File}:{Line}: ";
        return Column.Length == 0 ? where + Reason : $"{where}{Column}: {Reason}";
    }
}

/// <summary>
/// The rows that were valid and every problem found. Import is all-or-nothing: when <see cref="Errors"/> is not
/// empty, nothing may be written, and <see cref="Rows"/> is only there to check the next file against.
/// </summary>
public sealed record ImportResult<T>(ValueList<T> Rows, ValueList<ImportError> Errors)
{
    public bool Succeeded => Errors.Count == 0;
}
