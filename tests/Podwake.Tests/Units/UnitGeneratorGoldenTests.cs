using Podwake.Deploy;
using Podwake.Specs;
using Podwake.Units;
using Xunit;

namespace Podwake.Tests.Units;

/// <summary>
/// Golden files under <c>testdata/CASE/</c>: the input (<c>service.yaml</c>, or <c>input</c> naming a repository
/// path), optional <c>options</c> (<c>--system</c>, <c>--network-namespace</c>, <c>--rootless</c> (a side-car's state folder
/// is then below <see cref="Home"/>), <c>--update-timer</c> for the periodic update's pair, <c>--update-interval=DURATION</c>
/// for its interval), and one expected file per generated unit: what deploy installs (<c>Deploy.ServiceUnits</c>). Expected files carry
/// Quadlet-style assertions beside the lines they test, which are checked and then stripped before comparing:
/// <list type="bullet">
/// <item><c>## assert-key-is SECTION KEY VALUE</c>: the last KEY in SECTION is VALUE (the rest of the line).</item>
/// <item><c>## assert-key-missing SECTION KEY</c></item>
/// <item><c>## assert-exec-arg SECTION KEY WORD</c>: reading KEY's command line as systemd does gives WORD (the rest of the line, literally) as one argument.</item>
/// </list>
/// Set PODWAKE_UPDATE_GOLDEN=1 to write missing expected files from the output (then add assertions by hand).
/// </summary>
public sealed class UnitGeneratorGoldenTests
{
    private const string RepoPlaceholder = "@REPO@";

    /// <summary>The deploying account's home in the cases: with a space, as a user's home may have.</summary>
    internal const string Home = "/home/podwake user";

    public static TheoryData<string> Cases => new(Directory.GetDirectories(CasesRoot).Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    private static string CasesRoot => RepositoryPaths.Combine("tests/Podwake.Tests/Units/testdata");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Generate_MatchesGoldenFiles(string name)
    {
        var (spec, options) = Load(name);
        var directory = Path.Join(CasesRoot, name);
        var units = Units(name, spec, options).ToList();

        Assert.Equal(
            Directory.GetFiles(directory, "podwake-*").Select(Path.GetFileName).Order(StringComparer.Ordinal).Where(_ => !Updating),
            Updating ? [] : units.Select(u => u.Name).Order(StringComparer.Ordinal));
        foreach (var unit in units)
        {
            var actual = Render(unit);
            var path = Path.Join(directory, unit.Name);
            if (Updating)
            {
                File.WriteAllText(path, File.Exists(path) ? KeepAssertions(File.ReadAllText(path), actual) : actual);
            }

            var expected = File.ReadAllText(path);
            CheckAssertions(unit.Name, expected, UnitFile.Parse(actual));
            Assert.Equal(StripAssertions(expected), actual);
        }
    }

    [Fact]
    public void Generate_SameSpecTwice_GivesTheSameBytes()
    {
        var (spec, options) = Load("hostile");

        Assert.Equal(
            UnitGenerator.Generate(spec, options).Select(Render),
            UnitGenerator.Generate(spec, options).Select(Render));
    }

    /// <summary>Every generated unit of every case through the real <c>systemd-analyze verify</c>, which must say nothing.</summary>
    /// <remarks>
    /// verify checks that programs exist and are executable, so podwake and podman are pointed at /bin/true; user
    /// units need a runtime directory, given as a temporary XDG_RUNTIME_DIR (no user manager has to run).
    /// </remarks>
    [SystemdToolFact("/usr/bin/systemd-analyze")]
    public void Generate_EveryCase_PassesSystemdAnalyzeVerify()
    {
        foreach (var name in Cases)
        {
            var (spec, options) = Load(name);
            options = options with { PodwakePath = "/bin/true", PodmanPath = "/bin/true" };
            using var dir = new TempDirectory();
            var files = Units(name, spec, options).Select(u => dir.Write(u.Name, u.File.ToString())).ToList();
            var runtime = dir.CreateDirectory("runtime");
            List<string> args = [options.System ? "--system" : "--user", "verify", "--man=no", .. files];

            var (exitCode, output, error) = ToolRunner.Run("/usr/bin/systemd-analyze", args, new Dictionary<string, string> { ["XDG_RUNTIME_DIR"] = runtime });

            Assert.True(exitCode == 0 && output.Length == 0 && error.Length == 0, $"case {name}: systemd-analyze verify exited {exitCode}:\n{output}{error}");
        }
    }

    internal static (ServiceSpec Spec, UnitGeneratorOptions Options) Load(string name)
    {
        var directory = Path.Join(CasesRoot, name);
        var inputFile = Path.Join(directory, "input");
        var input = File.Exists(inputFile) ? RepositoryPaths.Combine(File.ReadAllText(inputFile).Trim()) : Path.Join(directory, "service.yaml");
        var spec = SpecFile.LoadOne(input);
        var words = OptionWords(name);
        Assert.All(words, w => Assert.True(w is "--system" or "--network-namespace" or "--rootless" or "--update-timer" || w.StartsWith("--update-interval=", StringComparison.Ordinal), w));
        return (spec, new UnitGeneratorOptions { System = words.Contains("--system"), NetworkNamespace = words.Contains("--network-namespace"), Rootless = words.Contains("--rootless") });
    }

    /// <summary>The case's units: the service's own and expose units as deploy installs them, then the update pair if asked for.</summary>
    internal static IEnumerable<GeneratedUnit> Units(string name, ServiceSpec spec, UnitGeneratorOptions options) =>
        ServiceUnits.Of(spec, options, Home).All.Concat(UpdateTimer(name, options));

    /// <summary>The periodic update's service and timer when the case's options ask for them (<c>--update-timer</c>).</summary>
    internal static IReadOnlyList<GeneratedUnit> UpdateTimer(string name, UnitGeneratorOptions options)
    {
        var words = OptionWords(name);
        if (!words.Contains("--update-timer"))
        {
            return [];
        }

        var interval = words.FirstOrDefault(w => w.StartsWith("--update-interval=", StringComparison.Ordinal)) is { } given
            && Duration.TryParse(given["--update-interval=".Length..], out var parsed, out _)
                ? parsed
                : (TimeSpan?)null;
        return UnitGenerator.GenerateUpdateTimer(options, interval);
    }

    private static string[] OptionWords(string name)
    {
        var optionsFile = Path.Join(CasesRoot, name, "options");
        return File.Exists(optionsFile) ? File.ReadAllText(optionsFile).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries) : [];
    }

    internal static string Render(GeneratedUnit unit) => unit.File.ToString().Replace(RepositoryPaths.Root, RepoPlaceholder, StringComparison.Ordinal);

    internal static string StripAssertions(string text) =>
        string.Concat(text.Split('\n').Select((line, i) => (line, i)).Where(l => !l.line.StartsWith("## ", StringComparison.Ordinal)).Select(l => l.i == 0 ? l.line : "\n" + l.line)).TrimStart('\n');

    /// <summary>
    /// <paramref name="actual"/> with the <c>## </c> assertion lines of <paramref name="expected"/> kept, each before the
    /// line it stood before (a changed unit's golden file is rewritten without losing its hand-written assertions).
    /// </summary>
    private static string KeepAssertions(string expected, string actual)
    {
        var pending = new List<(string Anchor, List<string> Assertions)>();
        var assertions = new List<string>();
        foreach (var line in expected.Split('\n'))
        {
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                assertions.Add(line);
            }
            else if (assertions.Count > 0)
            {
                pending.Add((line, assertions));
                assertions = [];
            }
        }

        var output = new List<string>();
        foreach (var line in actual.Split('\n'))
        {
            // Blank lines are no anchor (there are many): such assertions go to the end, to be placed by hand.
            var match = line.Length == 0 ? -1 : pending.FindIndex(p => p.Anchor == line);
            if (match >= 0)
            {
                output.AddRange(pending[match].Assertions);
                pending.RemoveAt(match);
            }

            output.Add(line);
        }

        return string.Join('\n', output.Concat(pending.SelectMany(p => p.Assertions)).Concat(assertions));
    }

    private static bool Updating => Environment.GetEnvironmentVariable("PODWAKE_UPDATE_GOLDEN") == "1";

    private static void CheckAssertions(string file, string expected, UnitFile actual)
    {
        var lines = expected.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("## ", StringComparison.Ordinal))
            {
                continue;
            }

            var parts = lines[i][3..].Split(' ', 4);
            var where = $"{file}:{i + 1}: {lines[i]}";
            Assert.True(parts.Length >= 3, $"{where}: an assertion needs at least a section and a key");
            var (section, key) = (parts[1], parts[2]);
            var rest = parts.Length == 4 ? parts[3] : "";
            switch (parts[0])
            {
                case "assert-key-is":
                    Assert.True(actual.Get(section, key) == rest, $"{where}: found {actual.Get(section, key) ?? "nothing"}");
                    break;
                case "assert-key-missing":
                    Assert.True(actual.Get(section, key) is null, $"{where}: found {actual.Get(section, key)}");
                    break;
                case "assert-exec-arg":
                    var words = SystemdWords.SplitExec(actual.Get(section, key) ?? "");
                    Assert.True(words.Contains(rest), $"{where}: the arguments are [{string.Join("] [", words)}]");
                    break;
                default:
                    Assert.Fail($"{where}: unknown assertion {parts[0]}");
                    break;
            }
        }
    }
}
