using System.Text.RegularExpressions;
using Xunit;

namespace Podwake.Tests;

/// <summary>
/// The folders of src/Podwake form layers (README, "Architecture"): a folder uses only folders of lower layers, or
/// of its own layer listed before it. Read from the sources: using directives and namespace-qualified type names
/// (<c>Podman.PodmanException</c>), comments and string literals left out.
/// </summary>
public sealed partial class LayeringTests
{
    /// <summary>Lowest first. The root namespace (<c>Podwake</c>) sits below all of them; Program.cs is the top.</summary>
    internal static readonly string[][] Layers =
    [
        ["Specs", "Host"],
        ["Podman", "Network", "Systemd", "Units"],
        ["Proxy", "Updates", "Pods", "Sidecars", "Activation", "Control", "Logs", "Metrics"],
        ["Deploy", "Serve", "Activate", "Export"],
        ["Cli"],
    ];

    private static readonly string[] Order = [.. Layers.SelectMany(layer => layer)];

    private static string Source => RepositoryPaths.Combine("src/Podwake");

    [Fact]
    public void EveryFolderIsInALayer()
    {
        var folders = Directory.EnumerateDirectories(Source)
            .Select(Path.GetFileName)
            .Where(name => name is not ("bin" or "obj"))
            .Order(StringComparer.Ordinal);

        Assert.Equal(Order.Order(StringComparer.Ordinal), folders);
    }

    [Fact]
    public void NamespaceIsTheFolder()
    {
        var wrong = SourceFiles()
            .Where(file => Path.GetFileName(file.Path) != "Program.cs") // top-level statements, no namespace
            .Select(file => (file.Path, Expected: file.Folder is null ? "Podwake" : $"Podwake.{file.Folder}", Actual: NamespaceLine().Match(file.Text).Groups[1].Value))
            .Where(file => !file.Actual.Equals(file.Expected, StringComparison.Ordinal) && !file.Actual.StartsWith(file.Expected + ".", StringComparison.Ordinal))
            .Select(file => $"{file.Path}: namespace {file.Actual}, expected {file.Expected}")
            .ToList();

        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
    }

    [Fact]
    public void NoFolderUsesAFolderAboveIt()
    {
        var violations = new List<string>();
        foreach (var file in SourceFiles())
        {
            var rank = file.Folder is null
                ? (Path.GetFileName(file.Path) == "Program.cs" ? Order.Length : -1)
                : Array.IndexOf(Order, file.Folder);
            foreach (var used in References(file.Text).Where(used => used != file.Folder))
            {
                if (Array.IndexOf(Order, used) >= rank)
                {
                    violations.Add($"{Relative(file.Path)} uses {used}: {file.Folder ?? "the root namespace"} may use only {Allowed(rank)}");
                }
            }
        }

        Assert.True(violations.Count == 0, string.Join('\n', violations));
    }

    /// <summary>
    /// Export (podwake export) sits beside the runtimes so that only Cli can use it, but it is a converter of the model:
    /// it may use Specs and nothing else of podwake (no podman, no host).
    /// </summary>
    [Fact]
    public void ExportUsesOnlySpecs()
    {
        var used = SourceFiles()
            .Where(file => file.Folder == "Export")
            .SelectMany(file => References(file.Text).Where(folder => folder is not ("Export" or "Specs")).Select(folder => $"{Relative(file.Path)} uses {folder}"))
            .ToList();

        Assert.True(used.Count == 0, string.Join('\n', used));
    }

    [Fact]
    public void NoGlobalUsingOfAFolderInTheProjectFiles()
    {
        // A <Using Include="Podwake.X"/> would make every file use X without a line the check above can read.
        foreach (var file in new[] { "src/Podwake/Podwake.csproj", "Directory.Build.props" })
        {
            Assert.DoesNotContain("<Using Include=\"Podwake", File.ReadAllText(RepositoryPaths.Combine(file)), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TheCheckSeesUsingsAndQualifiedNames()
    {
        const string text = """
            using Podwake.Serve;
            namespace Podwake.Units;
            // Proxy.ListenSocket in a comment is no dependency
            internal static class X
            {
                private static readonly string Y = "Control.Nothing";
                public static bool Z(Exception e) => e is Podman.PodmanException or Podwake.Host.ExternalCommandException;
                public static int W(object target) => target.Network.GetHashCode();
            }
            """;

        Assert.Equal(["Host", "Podman", "Serve"], References(text).Order(StringComparer.Ordinal));
    }

    /// <summary>The folders a source text refers to.</summary>
    internal static HashSet<string> References(string text)
    {
        var code = StringLiteral().Replace(LineComment().Replace(text, ""), "\"\"");
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match match in Reference().Matches(code))
        {
            var folder = match.Groups["using"].Success ? match.Groups["using"].Value : match.Groups["qualified"].Value;
            if (Order.Contains(folder))
            {
                found.Add(folder);
            }
        }

        return found;
    }

    private static IEnumerable<(string Path, string? Folder, string Text)> SourceFiles() =>
        Directory.EnumerateFiles(Source, "*.cs", SearchOption.AllDirectories)
            .Where(path => !Relative(path).StartsWith("obj/", StringComparison.Ordinal) && !Relative(path).StartsWith("bin/", StringComparison.Ordinal))
            .Select(path => (path, Relative(path).Contains('/') ? Relative(path).Split('/')[0] : null, File.ReadAllText(path)));

    private static string Relative(string path) => Path.GetRelativePath(Source, path).Replace('\\', '/');

    private static string Allowed(int rank) =>
        rank <= 0 ? "the root namespace" : string.Join(", ", Order.Take(rank)) + " and the root namespace";

    [GeneratedRegex(@"^namespace ([\w.]+);", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();

    [GeneratedRegex(@"//.*")]
    private static partial Regex LineComment();

    [GeneratedRegex(@"@?""(?:\\.|[^""\\\n])*""")]
    private static partial Regex StringLiteral();

    /// <summary><c>using Podwake.X</c>, or a qualified <c>X.Type</c> / <c>Podwake.X.Type</c> not after a dot (a member access).</summary>
    [GeneratedRegex(@"using (?:static )?Podwake\.(?<using>\w+)|(?<![\w.])(?:Podwake\.)?(?<qualified>[A-Z]\w*)\.[A-Z]")]
    private static partial Regex Reference();
}
