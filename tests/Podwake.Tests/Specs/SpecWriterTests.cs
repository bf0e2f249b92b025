using Podwake.Specs;
using Xunit;

namespace Podwake.Tests.Specs;

/// <summary>The spec copy deploy writes loads back to the same service, wherever it sits.</summary>
public sealed class SpecWriterTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("v.1_2://", "/")]
    [InlineData("data:///", "/")]
    [InlineData("data:/srv//", "/srv")]
    public void VolumeTargetOfSlashesOnly_IsTheRootAndRoundTrips(string volume, string target)
    {
        // Found by SpecLoaderPropertyTests: "//" was trimmed to "", and the copy said "v.1_2:", which does not load.
        var original = SpecFile.LoadOne(_dir.Write("service.yaml", $$"""
            name: web
            image: localhost/web:1
            volumes: ["{{volume}}"]
            ports: [{listen: 8080, container: 80}]
            """));

        Assert.Equal(target, original.Volumes[0].Target);
        var loaded = SpecFile.LoadOne(_dir.Write("elsewhere/copy.yaml", SpecWriter.Write(original)));
        Assert.Equal(Normalize(original), Normalize(loaded));
    }

    [Fact]
    public void LoadOfWrite_RoundTripsEveryKey()
    {
        _dir.CreateDirectory("ctx");
        _dir.Write("ctx/Containerfile", "FROM scratch\n");
        var original = SpecFile.LoadOne(_dir.Write("service.yaml", """
            name: web
            image: localhost/web:1
            build: {context: ./ctx, containerfile: ./ctx/Containerfile, args: {V: "1 2"}}
            command: [/bin/sh, -c, "echo '$HOME' \"%h\" \\ ; done", "no", "8080"]
            env: {A: "two  spaces", B: "100% $x;y", C: "back\\slash", D: ""}
            volumes: ["./www:/www:ro", "data:/data"]
            ports:
              - {listen: 8080, container: 80}
              - {listen: "[::1]:8443", container: 443}
            idle: 1m30s
            ready: {http: /healthz, port: 80, timeout: 45s}
            restart: always
            user: web
            expose: [{listen: 0.0.0.0:80, to: 8080}]
            hold: 7
            """));

        var copy = _dir.Write("elsewhere/copy.yaml", SpecWriter.Write(original));
        var loaded = SpecFile.LoadOne(copy);

        Assert.Equal(Normalize(original), Normalize(loaded));
    }

    [Theory]
    [InlineData("{tcp: 80}")]
    [InlineData("{exec: [/bin/check, \"a b\"], timeout: 2s}")]
    public void ReadyProbes_RoundTrip(string ready)
    {
        var original = SpecFile.LoadOne(_dir.Write("s.yaml", $"name: a\nimage: a\nports: [{{listen: 9000, container: 80}}]\nidle: never\nready: {ready}\n"));

        var loaded = SpecFile.LoadOne(_dir.Write("copy/s.yaml", SpecWriter.Write(original)));

        Assert.Equal(Normalize(original), Normalize(loaded));
        Assert.Null(loaded.Idle);
    }

    [Fact]
    public void UdpPortsReadyUdpAndUdpSettings_RoundTrip()
    {
        var original = SpecFile.LoadOne(_dir.Write("u.yaml", """
            name: dns
            image: localhost/dns:1
            ports:
              - {listen: 5353, container: 53, protocol: udp}
              - {listen: 5353, container: 53, protocol: tcp}
            ready: {udp: 53}
            udp: {flow_idle: 5s, hold_datagrams: 10, hold_bytes: 5000000000}
            """));

        var loaded = SpecFile.LoadOne(_dir.Write("copy/u.yaml", SpecWriter.Write(original)));

        Assert.Equal(Normalize(original), Normalize(loaded));
        Assert.Equal(ReadyKind.Udp, loaded.Ready.Kind);
        Assert.Equal(original.Udp, loaded.Udp);
    }

    [Fact]
    public void UdpOnlyServiceWithDefaults_RoundTrips()
    {
        var original = SpecFile.LoadOne(_dir.Write("u2.yaml", "name: echo\nimage: localhost/echo:1\nports: [{listen: 5353, container: 5353, protocol: udp}]\n"));

        var loaded = SpecFile.LoadOne(_dir.Write("copy/u2.yaml", SpecWriter.Write(original)));

        Assert.Equal(Normalize(original), Normalize(loaded));
        Assert.Equal(original.Udp, loaded.Udp);
    }

    [Fact]
    public void PodService_RoundTrips_WithoutUpdate()
    {
        // The loader refuses update: on a pod: service; the copy said update: "none", and the activator could not load it.
        _dir.Write("pod.yaml", PodSpecTests.Fixed);
        var original = SpecFile.LoadOne(_dir.Write("p.yaml", "name: web\npod: ./pod.yaml\nports: [{listen: 8080, container: 8080}]\n"));

        var text = SpecWriter.Write(original);
        var loaded = SpecFile.LoadOne(_dir.Write("copy/p.yaml", text));

        Assert.DoesNotContain("update:", text, StringComparison.Ordinal);
        Assert.Equal(Normalize(original), Normalize(loaded));
        Assert.Equal(original.Pod, loaded.Pod);
        Assert.Equal(original.Kube!.Text, loaded.Kube!.Text);
    }

    [Theory]
    [InlineData("netns", "[]", "false", "30s")]
    [InlineData("env:NETWORK_ID", "[NEUTRON_DEBUG, LANG]", "true", "1m30.5s")]
    [InlineData("'arg:^--pid-file=\"?.*/([^/ #$]+)/pid\\s*$'", "[A]", "false", "24h")]
    public void SidecarService_RoundTrips_WithoutTheListenerKeys(string key, string passEnv, string foreground, string timeout)
    {
        var original = SpecFile.LoadOne(_dir.Write("service.yaml", $$"""
            name: dnsmasq
            image: localhost/agent-tools:1
            sidecar:
              wrapper: /var/lib/neutron//dnsmasq-wrapper
              command: [/usr/sbin/dnsmasq, -k, "--conf-file=/etc/dnsmasq.conf # not a comment"]
              key: {{key}}
              pass_env: {{passEnv}}
              foreground: {{foreground}}
              timeout: {{timeout}}
            env: {A: "1 $x"}
            volumes: ["./data:/var/lib/neutron"]
            restart: "no"
            """));

        var text = SpecWriter.Write(original);
        var loaded = SpecFile.LoadOne(_dir.Write("elsewhere/copy.yaml", text));

        Assert.DoesNotContain("ports:", text, StringComparison.Ordinal);
        Assert.Equal(Normalize(original), Normalize(loaded));
        var (before, after) = (original.Sidecar!, loaded.Sidecar!);
        Assert.Equal(
            (before.Wrapper, string.Join('|', before.Command), before.Key.ToString(), string.Join('|', before.PassEnv), before.Foreground, before.Timeout),
            (after.Wrapper, string.Join('|', after.Command), after.Key.ToString(), string.Join('|', after.PassEnv), after.Foreground, after.Timeout));
    }

    /// <summary>Everything but where the keys were written, with collections as comparable text.</summary>
    internal static string Normalize(ServiceSpec spec) => string.Join('\n',
        spec.Name, spec.Image, spec.Build?.Context, spec.Build?.Containerfile, string.Join('|', spec.Build?.Args.OrderBy(a => a.Key).Select(a => a.ToString()) ?? []),
        string.Join('|', spec.Command ?? []), string.Join('|', spec.Env.OrderBy(e => e.Key)),
        string.Join('|', spec.Volumes.Select(v => $"{v.Source}>{v.Target}>{string.Join(',', v.Options)}")),
        string.Join('|', spec.Ports.Select(p => $"{p.Listen}>{p.ContainerPort}>{p.Protocol}")),
        spec.Idle, spec.Ready.Kind, spec.Ready.Port, spec.Ready.HttpPath, string.Join('|', spec.Ready.Exec ?? []), spec.Ready.Timeout,
        spec.Restart, spec.Update, spec.User, string.Join('|', spec.Expose.Select(e => $"{e.Listen}>{e.To}")), spec.Hold);
}
