using Podwake.IntegrationTests.Infrastructure;
using Xunit;

namespace Podwake.IntegrationTests.Serve;

/// <summary>
/// Bad service files given to the real <c>podwake serve</c>: exit 1, the exact
/// <c>FILE:LINE:COL: error:</c> line, and nothing started (no container, no listener, no process).
/// PORT is a free port, FILE the file's path, DIR its directory; the column of a flow-mapping value
/// moves with the port's digits, so CONTAINERCOL/UDPCOL are computed from the written text.
/// </summary>
[Collection(PodmanCollection.Name)]
public sealed class ServeRejectsBadFilesTests : IDisposable
{
    private readonly PodmanFixture _podman;
    private readonly TempDirectory _dir = new();

    public ServeRejectsBadFilesTests(PodmanFixture podman)
    {
        _podman = podman;
    }

    public void Dispose() => _dir.Dispose();

    [PodmanTheory]
    [InlineData("unknown-key", "name: m1\nimage: localhost/x:1\nports: [{listen: \"127.0.0.1:PORT\", container: 8080}]\nimgae: foo", "4:1: error: unknown key \"imgae\"; did you mean \"image\"? allowed keys: name, image, build, command, env, env_file, secrets, volumes, user, resources, podman_args, ports, idle, ready, restart, update, run_as, expose, pod, hold, udp, sidecar")]
    [InlineData("bad-name", "name: My_App\nimage: localhost/x:1\nports: [{listen: \"127.0.0.1:PORT\", container: 8080}]", "1:7: error: name: \"My_App\" is not a valid name; use 1 to 48 lowercase letters, digits and '-', starting with a letter or digit (e.g. hello)")]
    [InlineData("no-image", "name: m3\nports: [{listen: \"127.0.0.1:PORT\", container: 8080}]", "1:1: error: image is required; add e.g. image: localhost/hello:1 or docker.io/library/nginx:1.27 (or pod: for a Kubernetes pod file)")]
    [InlineData("bad-duration", "name: m4\nimage: localhost/x:1\nports: [{listen: \"127.0.0.1:PORT\", container: 8080}]\nidle: 5 minutes", "4:7: error: idle: \"5 minutes\" is not a duration; use a number with ms, s, m or h (e.g. 30s, 1m30s) or \"never\"")]
    [InlineData("bare-number", "name: m5\nimage: localhost/x:1\nports: [{listen: \"127.0.0.1:PORT\", container: 8080}]\nidle: 30", "4:7: error: idle: \"30\" has no unit; add one of ms, s, m or h (e.g. 30s)")]
    [InlineData("port-range", "name: m6\nimage: localhost/x:1\nports: [{listen: \"127.0.0.1:PORT\", container: 70000}]", "3:CONTAINERCOL: error: ports[0].container: 70000 is out of range; use a port number from 1 to 65535")]
    [InlineData("hostname", "name: m7\nimage: localhost/x:1\nports: [{listen: \"localhost:PORT\", container: 8080}]", "3:18: error: ports[0].listen: \"localhost:PORT\" names a host; use an IP address instead, e.g. 127.0.0.1:PORT or 0.0.0.0:PORT (all interfaces)")]
    [InlineData("duplicate-listen", "name: m8\nimage: localhost/x:1\nports:\n  - {listen: \"127.0.0.1:PORT\", container: 8080}\n  - {listen: \"0.0.0.0:PORT\", container: 8081}", "5:14: error: ports[1].listen: 0.0.0.0:PORT/tcp collides with 127.0.0.1:PORT/tcp of ports[0].listen at FILE:4:14; both cannot be bound at once: use another port")]
    [InlineData("command-string", "name: m9\nimage: localhost/x:1\ncommand: httpd -f\nports: [{listen: \"127.0.0.1:PORT\", container: 8080}]", "3:10: error: command: expected a list of strings, found \"httpd -f\"; write it as a list, like [/bin/sh, -c, \"...\"]")]
    [InlineData("restart-value", "name: m10\nimage: localhost/x:1\nports: [{listen: \"127.0.0.1:PORT\", container: 8080}]\nrestart: sometimes", "4:10: error: restart: \"sometimes\" is not a restart policy; use no, on-failure or always")]
    [InlineData("missing-build-context", "name: m11\nimage: localhost/x:1\nbuild: ./nowhere\nports: [{listen: \"127.0.0.1:PORT\", container: 8080}]", "3:8: error: build: directory \"./nowhere\" does not exist (looked for DIR/nowhere); create it or fix the path")]
    [InlineData("ready-port-not-listed", "name: m12\nimage: localhost/x:1\nports: [{listen: \"127.0.0.1:PORT\", container: 8080}]\nready: {tcp: 9090}", "4:14: error: ready.tcp: 9090 is not a container port in ports; use one of 8080 (or add a port with container: 9090)")]
    [InlineData("ports-not-a-list", "name: m13\nimage: localhost/x:1\nports: {listen: \"127.0.0.1:PORT\", container: 8080}", "3:8: error: ports: expected a list of ports, found a mapping; write each as {listen: 127.0.0.1:8080, container: 8080}")]
    [InlineData("udp-settings-without-udp-port", "name: m14\nimage: localhost/x:1\nports: [{listen: \"127.0.0.1:PORT\", container: 8080}]\nudp: {flow_idle: 10s}", "4:1: error: udp: this service has no udp port, so the settings would do nothing; remove udp: or add a port with protocol: udp")]
    public async Task BadFile_ExitsOneWithExactMessage_StartsNothing(string mistake, string yaml, string expected)
    {
        var port = FreePorts.Next();
        var file = Path.Combine(_dir.Path, $"{mistake}.yaml");
        var text = yaml.Replace("PORT", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        await File.WriteAllTextAsync(file, text + "\n");
        var line3 = text.Split('\n').ElementAtOrDefault(2) ?? "";
        var message = expected
            .Replace("PORT", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("FILE", file, StringComparison.Ordinal)
            .Replace("DIR", _dir.Path, StringComparison.Ordinal)
            .Replace("CONTAINERCOL", (line3.IndexOf("70000", StringComparison.Ordinal) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        await using var serve = ServeProcess.Start("serve", file);

        var exit = await serve.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, exit);
        Assert.Contains($"{file}:{message}", serve.Stderr.Split('\n').Select(l => l.TrimEnd('\r')));
        var name = text.Split('\n')[0]["name: ".Length..];
        Assert.False(await _podman.Client.ContainerExistsAsync($"podwake-{name}", CancellationToken.None), "a container was created");
        Assert.Equal(HttpOutcomeKind.Refused, (await RawHttp.GetAsync(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port))).Kind);
    }
}
