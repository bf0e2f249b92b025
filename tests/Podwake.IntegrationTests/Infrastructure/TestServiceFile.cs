using System.Net;

namespace Podwake.IntegrationTests.Infrastructure;

/// <summary>A service file for one serve test: a unique name, a free loopback port, the busybox test image.</summary>
internal sealed record TestServiceFile(string Name, string File, IPEndPoint Endpoint)
{
    public string Container => $"podwake-{Name}";

    /// <summary>
    /// Writes <c>NAME.yaml</c> into <paramref name="directory"/>: busybox httpd on container port 8080, ready on tcp 8080.
    /// <paramref name="extra"/> is appended as YAML lines (e.g. <c>restart: always</c>); <paramref name="image"/> replaces
    /// the local test image (e.g. with the same image in a test registry).
    /// </summary>
    public static TestServiceFile Create(string directory, string idle = "30s", string readyTimeout = "30s", string? command = null, string extra = "", string? image = null)
    {
        var name = TestNames.Unique()["podwake-".Length..];
        var port = FreePorts.Next();
        var file = Path.Combine(directory, $"{name}.yaml");
        System.IO.File.WriteAllText(file, $"""
            name: {name}
            image: {image ?? TestImages.Busybox}
            {(command is null ? "" : $"command: {command}")}
            ports:
              - listen: 127.0.0.1:{port}
                container: 8080
            idle: {idle}
            ready:
              tcp: 8080
              timeout: {readyTimeout}
            {extra}
            """);
        return new TestServiceFile(name, file, new IPEndPoint(IPAddress.Loopback, port));
    }
}
