using Podwake.Cli;
using Podwake.Host;
using Podwake.Podman;
using Xunit;

namespace Podwake.Tests.Cli;

public sealed class ExitCodesTests
{
    public static TheoryData<Exception> HostFailures =>
    [
        new EnvironmentException("systemd is not PID 1"),
        new PodmanUnavailableException("podman is not installed"),
        new ExternalCommandException("start the socket", new ExternalCommandResult("systemctl start x.socket", 1, "", "failed")),
        new IOException("disk full"),
        new UnauthorizedAccessException("Access to the path '/run/user/1000/podwake' is denied."),
        new UnsafePathException("/home/web/.config", "is a link", "remove it"),
    ];

    public static TheoryData<Exception> OtherFailures =>
    [
        new ImageBuildException("localhost/web:1", 1, "RUN false"),
        new PodmanException("start podwake-web", System.Net.HttpStatusCode.NotFound, "no such container", null),
        new InvalidOperationException("a bug"),
        new ArgumentException("a bug"),
        new OperationCanceledException(),
    ];

    [Theory]
    [MemberData(nameof(HostFailures))]
    public void IsEnvironmentFailure_HostFailures_AreEnvironmentErrors(Exception exception) =>
        Assert.True(ExitCodes.IsEnvironmentFailure(exception));

    [Theory]
    [MemberData(nameof(OtherFailures))]
    public void IsEnvironmentFailure_InputFailuresAndBugs_AreNot(Exception exception) =>
        Assert.False(ExitCodes.IsEnvironmentFailure(exception));
}
