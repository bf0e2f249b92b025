using System.CommandLine;
using Podwake.Sidecars;

namespace Podwake.Cli;

/// <summary><c>podwake sidecar remove NAME KEY</c>: the key leaves the list and its container is removed.</summary>
internal static class SidecarRemoveCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("NAME") { Description = "The sidecar: service" };
        var key = new Argument<string>("KEY") { Description = "The key to remove" };
        var command = new Command("remove", "Remove a key from the list of a sidecar: service, and its container") { name, key };
        command.SetAction(async (result, cancellationToken) =>
        {
            var service = result.GetRequiredValue(name);
            var keyValue = result.GetRequiredValue(key);
            if (await SidecarTarget.PathsAsync(service) is not { } paths)
            {
                return ExitCodes.UserError;
            }

            try
            {
                bool listed;
                using (var store = SidecarStore.Open(paths, create: false)!)
                {
                    using var held = store.Lock();
                    listed = store.DeleteEntry(SidecarNames.Stem(keyValue));
                    store.Touch();
                }

                await using var podman = await SidecarTarget.PodmanAsync(cancellationToken);
                var container = SidecarNames.Container(service, keyValue);
                var existed = await podman.Client.ContainerExistsAsync(container, cancellationToken);
                await podman.Client.RemoveContainerAsync(container, force: true, cancellationToken);
                if (!listed && !existed)
                {
                    await Console.Error.WriteLineAsync($"podwake: error: {service} has no key \"{SidecarTarget.Printable(keyValue)}\" (podwake sidecar list {service})");
                    return ExitCodes.UserError;
                }

                Console.WriteLine($"{service}: removed key {SidecarTarget.Printable(keyValue)} ({container})");
                return ExitCodes.Success;
            }
            catch (Exception ex) when (ExitCodes.IsEnvironmentFailure(ex) || ex is Podman.PodmanException)
            {
                await Console.Error.WriteLineAsync($"podwake: error: {ex.Message}");
                return ExitCodes.EnvironmentError;
            }
        });
        return command;
    }
}
