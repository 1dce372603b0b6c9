using System.Runtime.CompilerServices;
using Dunning.Common;

namespace Dunning.Tests.Snapshots;

/// <summary>
/// Golden JSON files for what crosses a durable or storage boundary. A missing file is written and the test
/// fails, so a person reviews it before it becomes the contract; a different file fails with both texts.
/// </summary>
public static class Snapshot
{
    public static void Matches<T>(string name, T value, [CallerFilePath] string here = "")
    {
        var json = DunningJson.Serialize(value, indented: true).ReplaceLineEndings("\n") + "\n";
        var source = Path.GetDirectoryName(here);
        var folder = source is not null && Directory.Exists(source) ? source : Path.Combine(AppContext.BaseDirectory, "Snapshots");
        var path = Path.Combine(folder, name + ".json");
        if (!File.Exists(path))
        {
            File.WriteAllText(path, json);
            Assert.Fail($"Snapshot {name}.json did not exist and was created at {path}. Review it, then run the tests again.");
        }

        var expected = File.ReadAllText(path).ReplaceLineEndings("\n");
        Assert.True(
            expected == json,
            $"{name}.json changed: the stored shape of {typeof(T).Name} is a contract with cases in flight. " +
            $"If the change is intended and old data still reads, delete {path} and run again.\n--- expected\n{expected}\n--- actual\n{json}");

        // And both the value and the golden file read back to an equal value
        Assert.Equal(value, DunningJson.Deserialize<T>(json));
        Assert.Equal(value, DunningJson.Deserialize<T>(expected));
    }
}
