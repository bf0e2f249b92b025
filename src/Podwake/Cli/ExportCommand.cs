using System.CommandLine;
using Podwake.Export;

namespace Podwake.Cli;

/// <summary>
/// <c>podwake export kube|knative PATH...</c>: the services as Kubernetes (or Knative Serving) YAML on stdout, a
/// <c>---</c> between documents; same files, same bytes (docs/export.md).
/// </summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var format = new Argument<string>("FORMAT")
        {
            HelpName = "kube|knative",
            Description = "kube (Deployment, Service, ConfigMap, PersistentVolumeClaim) or knative (a scale-to-zero Knative Service where Knative can serve it)",
        };
        format.AcceptOnlyFromAmong("kube", "knative");
        var paths = ServiceFiles.PathsArgument();
        var command = new Command("export", "Print the services as Kubernetes or Knative YAML")
        {
            format,
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

            var chosen = result.GetRequiredValue(format) == "knative" ? ExportFormat.Knative : ExportFormat.Kube;
            try
            {
                output.Write(Exporter.Export(services, chosen));
                return Task.FromResult(ExitCodes.Success);
            }
            catch (ExportException e)
            {
                error.WriteLine(e.Diagnostic);
                return Task.FromResult(ExitCodes.UserError);
            }
            catch (Exception e) when (ExitCodes.IsEnvironmentFailure(e))
            {
                error.WriteLine($"podwake: error: {e.Message}");
                return Task.FromResult(ExitCodes.EnvironmentError);
            }
        });
        return command;
    }
}
