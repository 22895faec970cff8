using Secrets.ExternalSecrets.Api;
using Secrets.TestSupport;

namespace Secrets.ExternalSecrets.Tests;

/// <summary>The upstream ESO examples and CRDs, read in place from ../shared/vectors/eso.</summary>
internal static class EsoVectors
{
    public const string Folder = "eso";

    public static string Example(string file) => RepoPaths.Vector(Folder, "examples", file);

    public static string Crd(string file) => RepoPaths.Vector(Folder, "crds", file);

    public static IEnumerable<string> ExampleFiles() =>
        RepoPaths.SharedVectors is null || !Directory.Exists(Path.Combine(RepoPaths.SharedVectors, Folder))
            ? []
            : Directory.GetFiles(Path.Combine(RepoPaths.SharedVectors, Folder, "examples"), "*.yaml").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);

    public static T Read<T>(string file) => EsoManifest.ReadOne<T>(File.ReadAllText(Example(file)), file);

    public static TheoryData<string> Examples()
    {
        var data = new TheoryData<string>();
        foreach (var file in ExampleFiles())
        {
            data.Add(file);
        }

        if (data.Count == 0)
        {
            data.Add("absent");
        }

        return data;
    }
}
