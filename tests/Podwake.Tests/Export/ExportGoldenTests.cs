using System.Net;
using Podwake.Export;
using Podwake.Specs;
using Xunit;

namespace Podwake.Tests.Export;

/// <summary>
/// Golden files under <c>testdata/CASE/</c>: the input (<c>service.yaml</c>, or <c>input</c> naming a repository path), and the expected <c>kube.yaml</c> and
/// <c>knative.yaml</c>, the output of <c>podwake export kube</c> and <c>knative</c> with the repository's path as
/// <c>@REPO@</c>. Set PODWAKE_UPDATE_GOLDEN=1 to write missing expected files from the output (then read them).
/// </summary>
public sealed class ExportGoldenTests
{
    private const string RepoPlaceholder = "@REPO@";

    public static TheoryData<string, string> Cases
    {
        get
        {
            var cases = new TheoryData<string, string>();
            foreach (var name in Directory.GetDirectories(CasesRoot).Select(Path.GetFileName).Order(StringComparer.Ordinal))
            {
                cases.Add(name!, "kube");
                cases.Add(name!, "knative");
            }

            return cases;
        }
    }

    internal static string CasesRoot => RepositoryPaths.Combine("tests/Podwake.Tests/Export/testdata");

    private static bool Updating => Environment.GetEnvironmentVariable("PODWAKE_UPDATE_GOLDEN") == "1";

    [Theory]
    [MemberData(nameof(Cases))]
    public void Export_MatchesGoldenFile(string name, string format)
    {
        var actual = Render(name, format);
        var path = Path.Join(CasesRoot, name, $"{format}.yaml");
        if (Updating && !File.Exists(path))
        {
            File.WriteAllText(path, actual);
        }

        Assert.Equal(File.ReadAllText(path), actual);
    }

    [Fact]
    public void Export_SameInputTwice_GivesTheSameBytes()
    {
        var specs = Directory.GetDirectories(CasesRoot).Order(StringComparer.Ordinal).Select(d => Load(Path.GetFileName(d))).ToList();

        foreach (var format in new[] { ExportFormat.Kube, ExportFormat.Knative })
        {
            Assert.Equal(Exporter.Export(specs, format), Exporter.Export(specs, format));
        }
    }

    [Fact]
    public void Export_SeveralServices_AreOneStreamWithADashLineBetweenDocuments()
    {
        var specs = new[] { Load("hello"), Load("udp") };

        var text = Exporter.Export(specs, ExportFormat.Kube);

        Assert.Equal(Render("hello", "kube") + "---\n" + Render("udp", "kube"), text.Replace(RepositoryPaths.Root, RepoPlaceholder, StringComparison.Ordinal));
    }

    /// <summary>The output of <paramref name="format"/> for case <paramref name="name"/>, the repository's path as <c>@REPO@</c>.</summary>
    internal static string Render(string name, string format) =>
        Exporter.Export([Load(name)], format == "knative" ? ExportFormat.Knative : ExportFormat.Kube)
            .Replace(RepositoryPaths.Root, RepoPlaceholder, StringComparison.Ordinal);

    internal static ServiceSpec Load(string name)
    {
        var directory = Path.Join(CasesRoot, name);
        var inputFile = Path.Join(directory, "input");
        return SpecFile.LoadOne(File.Exists(inputFile) ? RepositoryPaths.Combine(File.ReadAllText(inputFile).Trim()) : Path.Join(directory, "service.yaml"));
    }

    /// <summary>A <c>pod:</c> service built without the loader (which would refuse a file without labels or with broken YAML): the kube file's absolute path, a port.</summary>
    internal static ServiceSpec PodService(string podFile) => new()
    {
        Name = "token",
        Pod = podFile,
        Ports = [new PortSpec { Listen = new IPEndPoint(IPAddress.Loopback, 8090), ContainerPort = 8080, Location = new SourceLocation("service.yaml", 4, 5) }],
        Ready = new ReadySpec { Kind = ReadyKind.Tcp, Port = 8080 },
        Idle = TimeSpan.FromSeconds(10),
        Location = new SourceLocation("service.yaml", 1, 1),
    };
}
