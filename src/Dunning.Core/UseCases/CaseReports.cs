using Dunning.Ports;
using Dunning.Reports;

namespace Dunning.UseCases;

/// <summary>The learning report and the daily digest over every case, for both hosts' routes and the CLI.</summary>
public sealed class CaseReports(ICaseStore cases, TimeProvider clock)
{
    /// <summary>How far back the digest looks when not told: one day.</summary>
    public static readonly TimeSpan DigestWindow = TimeSpan.FromHours(24);

    public async Task<LearningReport> LearningAsync(int withinDays, CancellationToken ct) =>
        LearningReport.Build((await cases.AllAsync(ct)).Select(r => r.State), withinDays, clock.GetUtcNow());

    /// <summary>The digest since <paramref name="since"/>, or since <see cref="DigestWindow"/> ago.</summary>
    public async Task<Digest> DigestAsync(DateTimeOffset? since, CancellationToken ct) =>
        Digest.Build(await cases.AllAsync(ct), await cases.CallTasksAsync(ct), since ?? clock.GetUtcNow() - DigestWindow);
}
