using System.Text;
using Podwake.IntegrationTests.Infrastructure;
using Xunit;

namespace Podwake.IntegrationTests.Deploy;

/// <summary>Values deploy hands to podman reach the container byte for byte, read from inside it.</summary>
public sealed class DeployValuesTests
{
    /// <summary>Spaces, both quotes, <c>$</c>, <c>%</c>, <c>\</c>, <c>;</c> and things systemd or a shell would expand.</summary>
    private static readonly string[] Hostile =
    [
        "two  spaces and 'single' \"double\"",
        "$HOME ${PATH} $(id) `id`",
        "100% %n %h %% specifiers",
        @"back\slash \n \\ end\",
        "semi;colon; rm -rf /; echo",
    ];

    [UserManagerFact]
    public async Task EnvAndArguments_ReachTheContainerByteForByte()
    {
        await using var service = new DeployedService();
        var env = new StringBuilder("env:\n");
        for (var i = 0; i < Hostile.Length; i++)
        {
            env.Append($"  HOSTILE_{i}: {Quote(Hostile[i])}\n");
        }

        // sh runs httpd and keeps its own arguments: they stay in /proc/1/cmdline (podman's init) after "--".
        var command = new StringBuilder("command: [/bin/busybox, sh, -c, \"exec /bin/busybox httpd -f -p 8080 -h /www\", sh");
        foreach (var value in Hostile)
        {
            command.Append($", {Quote(value)}");
        }

        service.Write(idle: "30s", extra: env + command.Append("]\n").ToString());
        await service.DeployOrFailAsync();
        Assert.Equal(200, (await RawHttp.GetAsync(service.Endpoint)).Status);

        var environ = await service.PodmanAsync("exec", service.ContainerName, "/bin/busybox", "cat", "/proc/1/environ");
        var cmdline = await service.PodmanAsync("exec", service.ContainerName, "/bin/busybox", "cat", "/proc/1/cmdline");

        Assert.True(environ.ExitCode == 0, environ.ToString());
        var variables = environ.Stdout.Split('\0');
        for (var i = 0; i < Hostile.Length; i++)
        {
            Assert.Contains($"HOSTILE_{i}={Hostile[i]}", variables);
        }

        var words = cmdline.Stdout.Split('\0');
        Assert.Equal(Hostile, words.SkipWhile(w => w != "--").Skip(6).Take(Hostile.Length));
    }

    /// <summary>A YAML double-quoted scalar.</summary>
    private static string Quote(string value) => "\"" + value.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
