using System.Text;

namespace Secrets.Cli;

/// <summary>Reads passphrases from the controlling terminal (/dev/tty), as age does, never from stdin.</summary>
internal static class Terminal
{
    public static string? ReadSecret(string prompt)
    {
        FileStream tty;
        try
        {
            tty = new FileStream("/dev/tty", FileMode.Open, FileAccess.ReadWrite);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        using (tty)
        {
            var promptBytes = Encoding.UTF8.GetBytes(prompt);
            tty.Write(promptBytes);
            tty.Flush();
            var echoOff = RunStty("-echo");
            try
            {
                var line = new List<byte>();
                int b;
                while ((b = tty.ReadByte()) >= 0 && b != '\n')
                {
                    if (b != '\r')
                    {
                        line.Add((byte)b);
                    }
                }

                return Encoding.UTF8.GetString(line.ToArray());
            }
            finally
            {
                if (echoOff)
                {
                    RunStty("echo");
                }

                tty.Write("\n"u8);
            }
        }
    }

    private static bool RunStty(string mode)
    {
        try
        {
            using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("sh", ["-c", $"stty {mode} < /dev/tty"])
            {
                UseShellExecute = false,
            });
            p?.WaitForExit();
            return p?.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
