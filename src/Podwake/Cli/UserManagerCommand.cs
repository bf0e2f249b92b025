using System.CommandLine;
using Podwake.Host;
using Podwake.Systemd;

namespace Podwake.Cli;

/// <summary>
/// Hidden <c>podwake user-manager start|stop USER</c> (root): the user manager start deploy uses for <c>run_as:</c>
/// services (linger, or podwake's own start where PID 1 is not systemd), for scripts/test and for administrators.
/// Prints <c>started</c>/<c>running</c> or <c>stopped</c>/<c>not running</c>, so a caller knows whether to undo it.
/// </summary>
internal static class UserManagerCommand
{
    public static Command Create()
    {
        var command = new Command("user-manager", "Start or stop a user's systemd manager (root; internal)") { Hidden = true };
        command.Subcommands.Add(Sub("start", "Start USER's systemd --user unless it runs", async (manager, token) => await manager.EnsureRunningAsync(token) ? "started" : "running"));
        command.Subcommands.Add(Sub("stop", "Stop USER's systemd --user and everything it runs", async (manager, token) => await manager.StopAsync(token) ? "stopped" : "not running"));
        return command;
    }

    private static Command Sub(string name, string description, Func<UserManager, CancellationToken, Task<string>> action)
    {
        var user = new Argument<string>("USER") { Description = "The user name" };
        var command = new Command(name, description) { user };
        command.SetAction(async (result, cancellationToken) =>
        {
            var userName = result.GetRequiredValue(user);
            var account = await UnixUser.FindAsync(userName, cancellationToken);
            if (account is null)
            {
                await result.InvocationConfiguration.Error.WriteLineAsync($"podwake: error: no user {userName}; create it first (useradd -m {userName})");
                return ExitCodes.UserError;
            }

            try
            {
                await result.InvocationConfiguration.Output.WriteLineAsync(await action(new UserManager(account), cancellationToken));
                return ExitCodes.Success;
            }
            catch (Exception ex) when (ExitCodes.IsEnvironmentFailure(ex))
            {
                await result.InvocationConfiguration.Error.WriteLineAsync($"podwake: error: {ex.Message}");
                return ExitCodes.EnvironmentError;
            }
        });
        return command;
    }
}
