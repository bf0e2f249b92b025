using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CsCheck;
using Podwake.Specs;
using Podwake.Units;
using Xunit;

namespace Podwake.Tests.Specs;

/// <summary>
/// The loader fed random valid service files and mutations of them (issue 9): no exception escapes, every error has
/// a FILE:LINE:COL inside the file, a valid file round-trips through the spec copy, and the units generate.
/// </summary>
public sealed partial class SpecLoaderPropertyTests : IDisposable
{
    /// <summary>
    /// Per property (2,000 samples in all): ~2 s of CPU each here (about 1.9 ms a sample: load, write, reload, generate).
    /// A failure prints the file and CsCheck's seed to replay it.
    /// </summary>
    private const int Iterations = 1_000;

    private static readonly UnitGeneratorOptions[] Options =
    [
        new(),
        new() { System = true, NetworkNamespace = true },
        new() { Rootless = true },
    ];

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ValidFiles_LoadRoundTripAndGenerate()
    {
        SpecGen.Service.Sample(
            yaml =>
            {
                var file = FileFor("valid");
                File.WriteAllText(file, yaml);
                var result = SpecLoader.Load([file]);
                Assert.True(result.Succeeded, $"{yaml}\n{string.Join('\n', result.Diagnostics)}");
                CheckRoundTripAndGenerate(Assert.Single(result.Services));
            },
            iter: Iterations,
            threads: 1,
            print: yaml => yaml);
    }

    [Fact]
    public void MutatedFiles_NeverThrowAndPointInsideTheFile()
    {
        SpecGen.Mutated.Sample(
            bytes =>
            {
                var file = FileFor("mutated");
                File.WriteAllBytes(file, bytes);
                var result = SpecLoader.Load([file]);
                var lines = bytes.Count(b => b == (byte)'\n') + 1;
                foreach (var diagnostic in result.Diagnostics)
                {
                    var at = diagnostic.Location;
                    Assert.True(
                        at.File == file && at.Line >= 1 && at.Line <= lines + 1 && at.Column >= 1,
                        $"{diagnostic} (the file has {lines} lines)");
                    Assert.DoesNotContain('\n', diagnostic.ToString());
                }

                foreach (var spec in result.Services)
                {
                    CheckRoundTripAndGenerate(spec);
                }
            },
            iter: Iterations,
            threads: 1,
            print: bytes => Encoding.UTF8.GetString(bytes));
    }

    /// <summary>load(write(spec)) == spec, and every generator accepts it.</summary>
    private void CheckRoundTripAndGenerate(ServiceSpec spec)
    {
        var copy = FileFor("copy");
        File.WriteAllText(copy, SpecWriter.Write(spec));
        var reloaded = SpecFile.LoadOne(copy);
        Assert.Equal(SpecWriterTests.Normalize(spec), SpecWriterTests.Normalize(reloaded));
        Assert.Equal(spec.Udp, reloaded.Udp);
        foreach (var options in Options)
        {
            Assert.NotEmpty(UnitGenerator.Generate(spec, options));
            Assert.NotEmpty(UnitGenerator.CreateCommand(spec, options, "/run/podwake"));
        }

        _ = UnitGenerator.GenerateExpose(spec);
    }

    private string FileFor(string what) => Path.Join(_dir.Path, $"{what}.yaml");

    /// <summary>Generators of service files (valid by construction) and of their mutations.</summary>
    private static partial class SpecGen
    {
        private const string Tricky = "aZ9 _-./:=,+@\"'\\$%;#&*!|>{}[]\t\né日";

        private static readonly string[] MutationBytes =
            ["\t", "\0", "\xFF", "\xC3", "[", "{", "&", "*", "!", ":", "- ", "# ", "\"", "'", "|", ">", "%", "@", "`", "\n", " ", "&a ", "*a", "!!binary ", "99999999999999999999999", "\r\n", "---\n", "? "];

        public static readonly Gen<string> Name =
            Gen.Select(Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789-"], 0, 30], Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789"], (rest, first) => $"{first}{rest}")
                .Where(n => !ReservedSuffix().IsMatch(n));

        private static readonly Gen<string> Text = Gen.String[Gen.Char[Tricky], 0, 12];

        private static readonly Gen<string> Durations = Gen.Long[0, (long)TimeSpan.FromHours(24).TotalMilliseconds]
            .Select(ms => Duration.Format(TimeSpan.FromMilliseconds(ms)));

        private static readonly Gen<string> Env = Gen.Dictionary(
                Gen.Select(Gen.String[Gen.Char["ABCXYZ_"], 1, 6], Gen.Char["ABC_"], (rest, first) => $"{first}{rest}"), Text)[0, 4]
            .Select(env => env.Count == 0 ? "" : $"env: {{{string.Join(", ", env.Select(e => $"{e.Key}: {Quote(e.Value)}"))}}}\n");

        private static readonly Gen<string> Command = Text.Array[1, 4]
            .Select(args => $"command: [{string.Join(", ", args.Select(Quote))}]\n");

        private static readonly Gen<string> Volumes = Gen.OneOf("data:/data", "./www:/www:ro", "/srv/x y:/srv:rw,z", "v.1_2:/a/b/")
            .Array[0, 3].Select(v => v.DistinctBy(x => x.Split(':')[1].TrimEnd('/')).ToArray())
            .Select(v => v.Length == 0 ? "" : $"volumes: [{string.Join(", ", v.Select(Quote))}]\n");

        private static readonly Gen<(string Listen, int Container, bool Udp, bool Block)> Port = Gen.Select(
            Gen.OneOf("{0}", "127.0.0.1:{0}", "0.0.0.0:{0}", "\"[::1]:{0}\"", "\"[::]:{0}\"", "10.1.2.3:{0}"),
            Gen.Int[1, 65535],
            Gen.Bool,
            Gen.Bool,
            (listen, container, udp, block) => (listen, container, udp, block));

        public static readonly Gen<string> Service = Gen.Select(
            Name,
            Gen.OneOf("busybox", "localhost/web:1", "docker.io/library/nginx:1.27"),
            Gen.Select(Command, Gen.Bool, (c, use) => use ? c : ""),
            Env,
            Volumes,
            Gen.Select(Gen.Int[1, 60000], Port.Array[1, 3], (b, items) => (b, items)),
            Gen.Select(Gen.OneOf(Durations, Gen.Const("never")), Gen.OneOf("no", "on-failure", "always"), Gen.Int[1, 100000], Gen.Bool, (i, r, h, u) => (i, r, h, u)),
            Gen.Select(Gen.Int[0, 4], Durations, Text.Array[1, 3], Gen.String[Gen.Char["abz09/-._~%"], 0, 10], (k, t, e, p) => (k, t, e, p)),
            Gen.Select(Durations, Gen.Int[1, int.MaxValue], Gen.Long[1, long.MaxValue], Gen.Bool, (f, d, b, u) => (f, d, b, u)),
            (name, image, command, env, volumes, ports, misc, ready, udp) => Build(name, image, command, env, volumes, ports, misc, ready, udp));

        /// <summary>A valid file with one to three mutations: lines deleted, duplicated, swapped, bytes inserted, truncation.</summary>
        public static readonly Gen<byte[]> Mutated = Gen.Select(
            Service,
            Gen.Select(Gen.Int[0, 6], Gen.Int[0, int.MaxValue], Gen.Int[0, int.MaxValue], Gen.Int[0, MutationBytes.Length - 1], (k, a, b, p) => (k, a, b, p)).Array[1, 3],
            (yaml, mutations) => mutations.Aggregate(Encoding.UTF8.GetBytes(yaml), (bytes, m) => Mutate(bytes, m.k, m.a, m.b, m.p)));

        private static string Build(
            string name, string image, string command, string env, string volumes, (int Base, (string Listen, int Container, bool Udp, bool Block)[] Items) ports,
            (string Idle, string Restart, int Hold, bool User) misc, (int Kind, string Timeout, string[] Exec, string Path) ready,
            (string FlowIdle, int Datagrams, long Bytes, bool Set) udp)
        {
            var yaml = new StringBuilder($"name: {name}\nimage: {image}\n{command}{env}{volumes}ports:\n");
            for (var i = 0; i < ports.Items.Length; i++)
            {
                var p = ports.Items[i];
                var listen = string.Format(CultureInfo.InvariantCulture, p.Listen, ports.Base + i);
                var protocol = p.Udp ? "udp" : "tcp";
                yaml.Append(p.Block
                    ? $"  - listen: {listen}\n    container: {p.Container}\n    protocol: {protocol}\n"
                    : $"  - {{listen: {listen}, container: {p.Container}, protocol: {protocol}}}\n");
            }

            var tcp = ports.Items.FirstOrDefault(p => !p.Udp);
            var firstUdp = ports.Items.FirstOrDefault(p => p.Udp);
            yaml.Append(ready.Kind switch
            {
                1 when tcp.Listen is not null => $"ready: {{tcp: {tcp.Container}, timeout: {Positive(ready.Timeout)}}}\n",
                2 when tcp.Listen is not null => $"ready: {{http: {Quote("/" + ready.Path)}, port: {tcp.Container}}}\n",
                3 => $"ready:\n  exec: [{string.Join(", ", ready.Exec.Select(Quote))}]\n  timeout: {Positive(ready.Timeout)}\n",
                4 when firstUdp.Listen is not null => $"ready: {{udp: {firstUdp.Container}}}\n",
                _ => "",
            });
            yaml.Append(CultureInfo.InvariantCulture, $"idle: {misc.Idle}\nrestart: {misc.Restart}\nhold: {misc.Hold}\n");
            if (misc.User)
            {
                yaml.Append("user: web_1\n");
                yaml.Append(CultureInfo.InvariantCulture, $"expose: [{{listen: 0.0.0.0:{ports.Base + 10}, to: {ports.Base}}}]\n");
            }

            if (udp.Set && firstUdp.Listen is not null)
            {
                yaml.Append(CultureInfo.InvariantCulture, $"udp:\n  flow_idle: {Positive(udp.FlowIdle)}\n  hold_datagrams: {udp.Datagrams}\n  hold_bytes: {udp.Bytes}\n");
            }

            return yaml.ToString();
        }

        private static byte[] Mutate(byte[] bytes, int kind, int a, int b, int payload)
        {
            var lines = SplitLines(bytes);
            var (i, j) = (a % lines.Count, b % lines.Count);
            switch (kind)
            {
                case 0:
                    lines.RemoveAt(i);
                    return Join(lines);
                case 1:
                    lines.Insert(i, lines[i]);
                    return Join(lines);
                case 2:
                    (lines[i], lines[j]) = (lines[j], lines[i]);
                    return Join(lines);
                case 3:
                    return bytes[..(a % (bytes.Length + 1))];
                case 4:
                    var at = a % (bytes.Length + 1);
                    return [.. bytes[..at], .. Latin1(MutationBytes[payload]), .. bytes[at..]];
                case 5:
                    var index = a % Math.Max(1, bytes.Length);
                    var copy = bytes.ToArray();
                    if (copy.Length > 0)
                    {
                        copy[index] = (byte)b;
                    }

                    return copy;
                default:
                    var start = a % (bytes.Length + 1);
                    return [.. bytes[..start], .. bytes[Math.Min(bytes.Length, start + (b % 8))..]];
            }
        }

        /// <summary>Strings of the payload list as bytes, "\xFF" as the single byte 0xFF (invalid UTF-8 on purpose).</summary>
        private static byte[] Latin1(string text) => text.All(c => c < 0x100) ? Encoding.Latin1.GetBytes(text) : Encoding.UTF8.GetBytes(text);

        private static List<byte[]> SplitLines(byte[] bytes)
        {
            var lines = new List<byte[]>();
            var start = 0;
            for (var k = 0; k < bytes.Length; k++)
            {
                if (bytes[k] == '\n')
                {
                    lines.Add(bytes[start..(k + 1)]);
                    start = k + 1;
                }
            }

            lines.Add(bytes[start..]);
            return lines;
        }

        private static byte[] Join(List<byte[]> lines) => [.. lines.SelectMany(l => l)];

        private static string Positive(string duration) => duration == "0s" ? "1ms" : duration;

        /// <summary>A YAML double-quoted scalar holding exactly <paramref name="text"/>.</summary>
        private static string Quote(string text)
        {
            var quoted = new StringBuilder("\"");
            foreach (var c in text)
            {
                quoted.Append(c switch
                {
                    '"' => "\\\"",
                    '\\' => "\\\\",
                    '\n' => "\\n",
                    '\t' => "\\t",
                    _ => c.ToString(),
                });
            }

            return quoted.Append('"').ToString();
        }

        [GeneratedRegex(@"-(container|network|next|sidecar|expose(-[0-9]+)?)\z")]
        private static partial Regex ReservedSuffix();
    }
}
