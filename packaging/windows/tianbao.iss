; Inno Setup script for the Windows installer of Tianbao (填报).
;
; Packs the one-folder build dist\tianbao\ (made on Windows by `python packaging\build.py`, which
; also smoke-tests it) into dist\Tianbao-<version>-setup.exe:
;
;     iscc /DAppVersion=0.1.0 packaging\windows\tianbao.iss
;
; Needs Inno Setup 6.3 or later (x64compatible, UTF-8 script).  The Chinese wizard uses
; ChineseSimplified.isl: shipped with newer Inno Setup releases in its Languages folder; for an
; older one put the file (from jrsoftware.org/files/istrans/) next to this script.
;
; What it does
;   - installs for all users into Program Files\Tianbao (administrator rights), x64 Windows 10+;
;   - Chinese or English wizard, chosen from the Windows display language;
;   - start-menu shortcuts for the windowed program Tianbao.exe and for uninstalling; optional
;     desktop shortcut; tianbao-cli.exe (the command line) sits beside it in the same folder;
;   - an upgrade first removes the old program's _internal folder so no stale library remains.
;
; User data is never touched: the database, its daily and pre-migration backups live in the
; user's profile (platformdirs user_data_dir: %LOCALAPPDATA%\Tianbao, i.e.
; C:\Users\<name>\AppData\Local\Tianbao), remembered choices in HKCU\Software\Tianbao.  The
; uninstaller removes only what it installed, so both stay and a reinstall finds the data again.

#if VER < EncodeVer(6,3,0)
  #error Inno Setup 6.3 or later is required to compile this script.
#endif

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppExe "Tianbao.exe"
#define Here AddBackslash(SourcePath)
#define BuildDir Here + "..\..\dist\tianbao"

#if !FileExists(BuildDir + "\" + AppExe) || !FileExists(BuildDir + "\tianbao-cli.exe")
  #error dist\tianbao\Tianbao.exe and tianbao-cli.exe not found: run "python packaging\build.py" on Windows first.
#endif

[Setup]
; The AppId identifies the program for upgrades and uninstalling: never change it.
AppId={{9F4AA7AE-15F5-40AB-8506-D54F7065CEAD}
AppName=Tianbao
AppVersion={#AppVersion}
AppVerName={cm:AppTitle} {#AppVersion}
AppPublisher=Tianbao
VersionInfoVersion={#AppVersion}
VersionInfoProductName=Tianbao
DefaultDirName={autopf}\Tianbao
DefaultGroupName={cm:AppTitle}
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Qt 6 runs on Windows 10 1809 and later.
MinVersion=10.0.17763
OutputDir={#Here}..\..\dist
OutputBaseFilename=Tianbao-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=auto
CloseApplications=yes
UninstallDisplayName={cm:AppTitle}
UninstallDisplayIcon={app}\{#AppExe}
SetupLogging=yes
#if FileExists(Here + "..\..\resources\icons\tianbao.ico")
SetupIconFile={#Here}..\..\resources\icons\tianbao.ico
#endif

[Languages]
; Chinese first: it is also the fallback when Windows uses neither language.
#if FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#elif FileExists(Here + "ChineseSimplified.isl")
Name: "chinesesimplified"; MessagesFile: "{#Here}ChineseSimplified.isl"
#else
  #error ChineseSimplified.isl not found in Inno Setup's Languages folder nor next to this script (get it from jrsoftware.org/files/istrans/).
#endif
Name: "english"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
chinesesimplified.AppTitle=Tianbao 填报
english.AppTitle=Tianbao
chinesesimplified.AppComment=妇女儿童发展规划监测数据的填报、审核与报送
english.AppComment=Entry, checking and returns of women's and children's development plan data

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; A one-folder build must not mix libraries of two versions.  Only the program folder's own
; _internal is removed; user data is elsewhere.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BuildDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{cm:AppTitle}"; Filename: "{app}\{#AppExe}"; Comment: "{cm:AppComment}"
Name: "{group}\{cm:UninstallProgram,Tianbao}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{cm:AppTitle}"; Filename: "{app}\{#AppExe}"; Comment: "{cm:AppComment}"; Tasks: desktopicon

[Run]
; Started as the user who ran Setup (not the elevated administrator), so the database is
; created in that user's profile.
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,Tianbao}"; Flags: nowait postinstall skipifsilent runasoriginaluser

; No [UninstallDelete] and no [Code]: uninstalling keeps %LOCALAPPDATA%\Tianbao (the database
; and its backups) and HKCU\Software\Tianbao.
