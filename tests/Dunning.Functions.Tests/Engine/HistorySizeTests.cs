using System.Text;
using Dunning.Common;
using Dunning.Tests.Scenarios;

namespace Dunning.Functions.Tests.Engine;

/// <summary>
/// What a case moves through the task hub: activity calls and the bytes of their inputs and outputs, signals, and the
/// orchestration's own input and output (InProcessTestHost 0.2.3-preview.1 keeps no history to read back, so the
/// engine counts at the activity boundary). Prints the figures docs/azure-host.md quotes. Every payload must stay under
/// the 64 KB of an Azure Storage queue message, above which Durable Functions moves it to a blob.
/// </summary>
public sealed class HistorySizeTests : IAsyncLifetime
{
    private const int QueueMessageLimit = 64 * 1024;

    private CaseEngine engine = null!;

    public async ValueTask InitializeAsync() => engine = await CaseEngine.StartAsync();

    public async ValueTask DisposeAsync() => await engine.DisposeAsync();

    [Fact]
    public async Task A_ladder_run_and_a_case_with_sixty_signals_move_payloads_a_queue_message_holds()
    {
        var ct = TestContext.Current.CancellationToken;
        var scenarios = HostScenarios.All(DateTimeOffset.UtcNow);
        var ladder = scenarios.Single(s => s.Name == "ladder to small claims");
        var burst = scenarios.Single(s => s.Name == "a burst of signals across ContinueAsNew");

        foreach (var scenario in new[] { ladder, burst })
        {
            await engine.RunAsync(scenario, ct);
            var id = scenario.Initial.InvoiceId;
            var traffic = engine.Activity[id];
            var instance = await engine.Client.GetInstanceAsync(id.CaseInstanceId, getInputsAndOutputs: true, ct);
            var input = Encoding.UTF8.GetByteCount(instance!.SerializedInput!);
            var output = Encoding.UTF8.GetByteCount(instance.SerializedOutput!);
            var signals = scenario.Signals.Sum(s => Encoding.UTF8.GetByteCount(DunningJson.Serialize(s.Make(DateTimeOffset.UtcNow))));
            TestContext.Current.TestOutputHelper!.WriteLine(
                $"{scenario.Name}: {traffic.Calls} activity calls, {traffic.Bytes / 1024.0:F0} KB in and out (largest {traffic.Largest / 1024.0:F1} KB); "
                + $"{scenario.Signals.Count} signals, {signals / 1024.0:F1} KB; last generation input {input / 1024.0:F1} KB, output {output / 1024.0:F1} KB");

            Assert.True(traffic.Largest < QueueMessageLimit, $"{scenario.Name}: an activity call moved {traffic.Largest} bytes");
            Assert.False(engine.StaleProjections.ContainsKey(id), $"{scenario.Name}: a projection save had to be repeated with the whole case");
            Assert.True(output < QueueMessageLimit, $"{scenario.Name}: the final state is {output} bytes");
        }
    }
}
