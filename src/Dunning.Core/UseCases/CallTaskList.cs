using Dunning.Ports;

namespace Dunning.UseCases;

public enum CallTaskFilter
{
    /// <summary>Calls a person should still make (<see cref="CallTask.IsToMake"/>).</summary>
    ToMake,

    /// <summary>Calls made and logged.</summary>
    Logged,

    /// <summary>Every call task, made or not, wanted or not.</summary>
    All,
}

/// <summary>The call list staff work from: the calls still to make, or the ones they logged.</summary>
public sealed class CallTaskList(ICaseStore cases)
{
    public async Task<IReadOnlyList<CallTask>> ListAsync(CallTaskFilter filter, CancellationToken ct)
    {
        var tasks = await cases.CallTasksAsync(ct);
        switch (filter)
        {
            case CallTaskFilter.All:
                return tasks;
            case CallTaskFilter.Logged:
                return [.. tasks.Where(t => t.Logged is not null)];
            case CallTaskFilter.ToMake:
                var toMake = new List<CallTask>();
                foreach (var task in tasks.Where(t => t.Logged is null))
                {
                    // One read per unlogged task: far fewer than the cases, since most calls are logged or their cases ended.
                    if (task.IsToMake((await cases.GetAsync(task.InvoiceId, ct))?.State))
                    {
                        toMake.Add(task);
                    }
                }

                return toMake;
            default:
                throw new ArgumentOutOfRangeException(nameof(filter), filter, "Unknown call task filter.");
        }
    }

    public static bool TryParse(string text, out CallTaskFilter filter)
    {
        (var known, filter) = text switch
        {
            "to-make" => (true, CallTaskFilter.ToMake),
            "logged" => (true, CallTaskFilter.Logged),
            "all" => (true, CallTaskFilter.All),
            _ => (false, CallTaskFilter.ToMake),
        };
        return known;
    }
}
