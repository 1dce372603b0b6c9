namespace Dunning.Tests.Scenarios;

/// <summary>The hosts' shared scenario set on the core's own loop: the outcomes the engine and the local runner must match.</summary>
public class HostScenarioTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 4, 9, 30, 0, TimeSpan.Zero);

    public static TheoryData<string> Names() => [.. HostScenarios.All(Start).Select(s => s.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public void Each_scenario_ends_as_expected_on_the_core(string name)
    {
        var scenario = HostScenarios.All(Start).Single(s => s.Name == name);

        var result = ScenarioResult.OnCore(scenario);

        Assert.Equal(scenario.Outcome, result.Final.Outcome?.Kind);
        Assert.Equal(scenario.PreviouslyFlaggedAs, result.Final.Outcome?.PreviouslyFlaggedAs);
        Assert.Equal(scenario.Sent.Order(StringComparer.Ordinal), result.Sent);
    }

    [Fact]
    public void The_whole_ladder_runs_on_the_day_the_case_opens_within_seconds()
    {
        var scenario = HostScenarios.All(Start).Single(s => s.Name == "ladder to small claims");

        var result = ScenarioResult.OnCore(scenario);

        Assert.True(result.Final.Outcome!.At - Start <= HostScenarios.Lead, $"ended at {result.Final.Outcome.At:O}");
    }
}
