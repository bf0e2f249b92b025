using System.Net;
using Podwake.Export;
using Podwake.Specs;
using YamlDotNet.Core;
using Xunit;

namespace Podwake.Tests.Export;

/// <summary>The export's rules one at a time: durations, quoting, when Knative can serve a service, names, pods.</summary>
public sealed class ExporterTests
{
    [Theory]
    [InlineData(0, "0s")]
    [InlineData(500, "500ms")]
    [InlineData(1_500, "1.5s")]
    [InlineData(30_000, "30s")]
    [InlineData(90_000, "1m30s")]
    [InlineData(300_000, "5m0s")]
    [InlineData(3_600_000, "1h0m0s")]
    [InlineData(86_400_000, "24h0m0s")]
    public void GoDuration_WritesWhatGoPrints(int milliseconds, string expected)
    {
        Assert.Equal(expected, GoDuration.Format(TimeSpan.FromMilliseconds(milliseconds)));
    }

    [Theory]
    [InlineData("localhost/hello:1", ScalarStyle.Plain)]
    [InlineData("app.kubernetes.io/name", ScalarStyle.Plain)]
    [InlineData("DirectoryOrCreate", ScalarStyle.Plain)]
    [InlineData("yes", ScalarStyle.DoubleQuoted)]
    [InlineData("On", ScalarStyle.DoubleQuoted)]
    [InlineData("null", ScalarStyle.DoubleQuoted)]
    [InlineData("8080", ScalarStyle.DoubleQuoted)]
    [InlineData("1e3", ScalarStyle.DoubleQuoted)]
    [InlineData("-g", ScalarStyle.DoubleQuoted)]
    [InlineData("daemon off;", ScalarStyle.DoubleQuoted)]
    [InlineData("key:", ScalarStyle.DoubleQuoted)]
    [InlineData("# not a comment", ScalarStyle.DoubleQuoted)]
    [InlineData("", ScalarStyle.DoubleQuoted)]
    public void Text_IsPlainOnlyWhenYamlReadsItBackAsThatString(string value, ScalarStyle style)
    {
        Assert.Equal(style, YamlFromJson.Text(value).Style);
    }

    [Fact]
    public void WhyNot_OneTcpPort_IsKnative()
    {
        Assert.Null(KnativeExporter.WhyNot(Service()));
    }

    [Theory]
    [InlineData("udp", "Knative routes only HTTP over TCP, and 127.0.0.1:5353/udp is UDP")]
    [InlineData("two ports", "Knative routes to one port of a container, and this service has 2")]
    [InlineData("no port", "it has no port, and Knative routes HTTP requests to one")]
    [InlineData("exec", "its ready: is exec:, which podwake takes as a raw TCP service")]
    [InlineData("reserved", "container port 8012 is reserved by Knative's queue-proxy")]
    [InlineData("pod", "a pod: service runs its own Kubernetes workload")]
    public void WhyNot_SaysWhyKnativeCannotServeIt(string shape, string reason)
    {
        var spec = Service();
        spec = shape switch
        {
            "udp" => spec with { Ports = [Port(5353, 53, Protocol.Udp)], Ready = new ReadySpec { Kind = ReadyKind.Udp, Port = 53 } },
            "two ports" => spec with { Ports = [Port(8080, 8080), Port(8443, 8443)] },
            "no port" => spec with { Ports = [] },
            "exec" => spec with { Ready = new ReadySpec { Kind = ReadyKind.Exec, Exec = ["pg_isready"] } },
            "reserved" => spec with { Ports = [Port(8080, 8012)], Ready = new ReadySpec { Kind = ReadyKind.Tcp, Port = 8012 } },
            _ => spec with { Image = null, Pod = "/srv/pod.yaml" },
        };

        Assert.StartsWith(reason, KnativeExporter.WhyNot(spec), StringComparison.Ordinal);
    }

    [Fact]
    public void KnativeFallback_SaysWhyFirst_ThenIsTheKubeExport()
    {
        var spec = Service() with { Ports = [Port(8080, 8080), Port(8443, 8443)] };

        var knative = Exporter.Export([spec], ExportFormat.Knative);

        var kube = Exporter.Export([spec], ExportFormat.Kube);
        var lines = knative.Split('\n');
        Assert.Equal("# Not a Knative Service: Knative routes to one port of a container, and this service has 2; exported as podwake export kube does instead.", lines[1]);
        Assert.Equal(kube, string.Join('\n', lines.Where((_, i) => i != 1)));
    }

    [Fact]
    public void KnativeExport_LeavesOutTheVariablesKnativeReserves_AndSaysSo()
    {
        var spec = Service() with { Env = new Dictionary<string, string> { ["PORT"] = "8080", ["MODE"] = "prod", ["K_SERVICE"] = "x" } };

        var yaml = Exporter.Export([spec], ExportFormat.Knative);

        Assert.Contains("      - env:\n        - name: MODE\n          value: prod\n        image:", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("name: PORT", yaml, StringComparison.Ordinal);
        Assert.Contains("# - env: K_SERVICE: Knative sets K_SERVICE in every container itself", yaml, StringComparison.Ordinal);
        Assert.Contains("# - env: PORT: Knative sets PORT", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void KubeExport_PublishesNoHostPort()
    {
        // hostPort would pin the pod to a node port; podman kube play publishes containerPort without it anyway.
        var yaml = Exporter.Export([Service()], ExportFormat.Kube);

        Assert.DoesNotContain("hostPort", yaml, StringComparison.Ordinal);
        Assert.Contains("containerPort: 8080", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void KubeExport_OfARestartAlwaysServiceWithDefaults_NotesOnlyIdleAndTheAddress()
    {
        var yaml = Exporter.Export([Service() with { Restart = RestartPolicy.Always }], ExportFormat.Kube);

        var notes = yaml.Split('\n').TakeWhile(line => line.StartsWith('#')).Where(line => line.StartsWith("# - ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, notes.Count);
        Assert.StartsWith("# - idle: 30s:", notes[0], StringComparison.Ordinal);
        Assert.StartsWith("# - listen: 127.0.0.1:8080:", notes[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("data", "app-data")]
    [InlineData("App_Cache.v2", "app-app-cache-v2")]
    [InlineData("cache_", "app-cache")]
    public void ClaimName_IsADns1123Name(string volume, string expected)
    {
        Assert.Equal(expected, KubeVolumes.ClaimName("app", volume));
    }

    [Fact]
    public void PodFileWithoutLabels_ServiceHasNoSelector_AndTheCommentSaysSo()
    {
        using var dir = new TempDirectory();
        var pod = dir.Write("pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: bare\nspec:\n  containers:\n  - name: c\n    image: x\n");

        var yaml = Exporter.Export([ExportGoldenTests.PodService(pod)], ExportFormat.Kube);

        Assert.Contains("# - the Service selects no pods: pod.yaml gives its pods no labels;", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("selector:", yaml, StringComparison.Ordinal);
        Assert.Contains("kind: Pod\nmetadata:\n  name: bare\n", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void PodFileThatIsNotYaml_IsAnErrorAtItsLine()
    {
        using var dir = new TempDirectory();
        var pod = dir.Write("pod.yaml", "kind: Pod\nmetadata: [unclosed\n");

        var error = Assert.Throws<ExportException>(() => Exporter.Export([ExportGoldenTests.PodService(pod)], ExportFormat.Kube));

        Assert.StartsWith($"{pod}:3:1: error: invalid YAML", error.Diagnostic.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SidecarService_IsRefusedAtItsSidecarKey(bool knative)
    {
        using var spec = new SpecFile();
        var sidecar = spec.Load("name: dnsmasq\nimage: localhost/agent-tools:1\nsidecar: {wrapper: /usr/local/bin/w, command: [/usr/sbin/dnsmasq], key: netns}\n");

        var error = Assert.Throws<ExportException>(() => Exporter.Export([Service(), sidecar], knative ? ExportFormat.Knative : ExportFormat.Kube));

        Assert.Equal(
            $"{spec.Path}:3:1: error: sidecar: service \"dnsmasq\" cannot be exported: Kubernetes has no equivalent of a container per caller's key started by calls of a wrapper; export the other services without it, and run this one with podwake deploy or serve",
            error.Diagnostic.ToString());
    }

    [Fact]
    public void KubeExport_OfAUnixSocketListener_IsAServicePortOfTheContainerPort_WithANote()
    {
        var unix = new PortSpec { Unix = new UnixListen("/run/web.sock"), ContainerPort = 8080, Location = new SourceLocation("web.yaml", 3, 5) };

        var yaml = Exporter.Export([Service() with { Ports = [unix] }], ExportFormat.Kube);

        Assert.Contains("# - ports: /run/web.sock -> 8080: a unix socket has no Kubernetes equivalent; exported as Service port 8080/TCP (the container port), which clients in the cluster reach over TCP", yaml, StringComparison.Ordinal);
        Assert.Contains("name: tcp-8080", yaml, StringComparison.Ordinal);
        Assert.Contains("# - listen: /run/web.sock: host addresses are not exported", yaml, StringComparison.Ordinal);
    }

    private static ServiceSpec Service() => new()
    {
        Name = "web",
        Image = "localhost/web:1",
        Ports = [Port(8080, 8080)],
        Ready = new ReadySpec { Kind = ReadyKind.Tcp, Port = 8080 },
        Location = new SourceLocation("web.yaml", 1, 1),
    };

    private static PortSpec Port(int listen, int container, Protocol protocol = Protocol.Tcp) =>
        new() { Listen = new IPEndPoint(IPAddress.Loopback, listen), ContainerPort = container, Protocol = protocol, Location = new SourceLocation("web.yaml", 3, 5) };
}
