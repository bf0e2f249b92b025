using System.CommandLine;
using Podwake.Specs;

namespace Podwake.Cli;

/// <summary><c>podwake validate PATH...</c>: parse and check service files; print every problem; exit 1 on any.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var paths = ServiceFiles.PathsArgument();
        var command = new Command("validate", "Check service files and print every problem as FILE:LINE:COL: error: MESSAGE")
        {
            paths,
        };
        command.SetAction((ParseResult result, CancellationToken cancellationToken) =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            if (ServiceFiles.Load(result.GetRequiredValue(paths), error) is not { } services)
            {
                return Task.FromResult(ExitCodes.UserError);
            }

            foreach (var service in services)
            {
                output.WriteLine(Summary(service));
            }

            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    /// <summary>
    /// One line per valid service: <c>hello: ok (1 port: 127.0.0.1:8080/tcp -> 8080)</c>, or for a side-car service (which
    /// has no ports) its wrapper and key: <c>dnsmasq: ok (sidecar: /var/lib/neutron/dnsmasq-wrapper, key netns)</c>.
    /// </summary>
    internal static string Summary(ServiceSpec service)
    {
        if (service.Sidecar is { } sidecar)
        {
            return $"{service.Name}: ok (sidecar: {sidecar.Wrapper}, key {sidecar.Key})";
        }

        var ports = service.Ports
            .Select(p => $"{p.ListenDisplay} -> {p.ContainerPort}");
        var count = service.Ports.Count == 1 ? "1 port" : $"{service.Ports.Count} ports";
        return service.Ports.Count == 0
            ? $"{service.Name}: ok ({count})"
            : $"{service.Name}: ok ({count}: {string.Join(", ", ports)})";
    }
}
