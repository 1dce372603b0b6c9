using Microsoft.Data.Sqlite;

namespace Dunning.Local.Storage;

/// <summary>
/// The connection of <see cref="Database.WriteGroupedAsync"/>, kept open between batches with each statement prepared
/// the first time it runs and reused after: a batch holds the write lock, and parsing the same few inserts again for
/// every webhook delivery was a good part of that time.
/// </summary>
public sealed class GroupedWriter : IDisposable
{
    private readonly SqliteConnection connection;
    private readonly Dictionary<string, SqliteCommand> prepared = new(StringComparer.Ordinal);
    private SqliteTransaction? transaction;

    internal GroupedWriter(SqliteConnection connection) => this.connection = connection;

    /// <summary>Runs <paramref name="sql"/> in the batch's transaction with these values; the number of rows it changed.</summary>
    public int Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        if (!prepared.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, _) in parameters)
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = name });
            }

            command.Transaction = transaction;
            command.Prepare();
            prepared.Add(sql, command);
        }

        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            command.Parameters[name].Value = value ?? DBNull.Value;
        }

        return command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        foreach (var command in prepared.Values)
        {
            command.Dispose();
        }

        connection.Dispose();
    }

    internal SqliteTransaction Begin() => transaction = connection.BeginTransaction(deferred: false);
}
