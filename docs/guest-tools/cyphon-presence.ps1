# cyphon-presence.ps1: tells the Cyphon agent on the host whenever the owner uses this Windows desk
# VM, from any device: the keyboard and mouse of the desk session, and devices that never pass
# through the host's input stack (a USB keyboard, mouse, tablet or game pad redirected into the VM
# through SPICE). Without it the agent sees only the input that passes through the host, and may
# count the owner as away while they type on a redirected keyboard.
#
# How: once a second it asks Windows for the time of the session's last input (GetLastInputInfo)
# and, when that changed, writes the line "input <tick>" to the virtio-serial port
# org.cyphon.presence.0 (\\.\Global\org.cyphon.presence.0). The line carries no key codes or
# positions: only that input happened. The agent counts each line as the owner's input.
#
# Needs: the virtio-serial driver (vioser, from the virtio-win drivers the golden image has for its
# disks anyway). GetLastInputInfo sees the input of the session it runs in, so it must run in the
# owner's interactive session: install it as a scheduled task started at every logon, e.g. as an
# administrator:
#
#   Copy-Item cyphon-presence.ps1 "$env:ProgramFiles\Cyphon\cyphon-presence.ps1"
#   $action  = New-ScheduledTaskAction -Execute powershell.exe -Argument `
#       '-NoProfile -NonInteractive -WindowStyle Hidden -ExecutionPolicy Bypass -File "C:\Program Files\Cyphon\cyphon-presence.ps1"'
#   $trigger = New-ScheduledTaskTrigger -AtLogOn
#   $who     = New-ScheduledTaskPrincipal -GroupId 'BUILTIN\Users' -RunLevel Limited
#   Register-ScheduledTask -TaskName 'Cyphon presence' -Action $action -Trigger $trigger -Principal $who
#
# If the port cannot be opened by a plain user on your virtio-win version (run the script by hand
# with $VerbosePreference = 'Continue' to see "cannot open ..."), register the task with
# -RunLevel Highest for an account that may.

$ErrorActionPreference = 'Stop'
$PortPath = '\\.\Global\org.cyphon.presence.0'

Add-Type -Namespace Cyphon -Name Native -MemberDefinition @'
[StructLayout(LayoutKind.Sequential)]
public struct LASTINPUTINFO { public uint cbSize; public uint dwTime; }

[DllImport("user32.dll")]
public static extern bool GetLastInputInfo(ref LASTINPUTINFO plii);

[DllImport("kernel32.dll", SetLastError = true, CharSet = CharSet.Unicode)]
public static extern Microsoft.Win32.SafeHandles.SafeFileHandle CreateFile(
    string name, uint access, uint share, IntPtr security, uint disposition, uint flags, IntPtr template);

public static uint LastInputTick() {
    LASTINPUTINFO info = new LASTINPUTINFO();
    info.cbSize = (uint) Marshal.SizeOf(info);
    if (!GetLastInputInfo(ref info)) return 0;
    return info.dwTime;
}
'@

# .NET will not open a \\.\ device path by name, so the port is opened with CreateFile.
function Open-Port {
    $GENERIC_WRITE = 0x40000000
    $OPEN_EXISTING = 3
    $handle = [Cyphon.Native]::CreateFile($PortPath, $GENERIC_WRITE, 0, [IntPtr]::Zero, $OPEN_EXISTING, 0, [IntPtr]::Zero)
    if ($handle.IsInvalid) {
        throw "cannot open ${PortPath}: Windows error $([Runtime.InteropServices.Marshal]::GetLastWin32Error())"
    }
    return New-Object System.IO.FileStream($handle, [System.IO.FileAccess]::Write, 1)
}

$port = $null
$last = [Cyphon.Native]::LastInputTick()
while ($true) {
    Start-Sleep -Seconds 1
    $tick = [Cyphon.Native]::LastInputTick()
    if ($tick -eq $last) { continue }
    $last = $tick
    try {
        if ($null -eq $port) { $port = Open-Port }
        $line = [Text.Encoding]::ASCII.GetBytes("input $tick`n")
        $port.Write($line, 0, $line.Length)
        $port.Flush()
    } catch {
        # No port (a VM without it, the driver missing) or the host side went away (the VM was saved
        # and restored): try again at the next input.
        if ($null -ne $port) { $port.Dispose() }
        $port = $null
        Write-Verbose "cyphon-presence: $_"
    }
}
