"""Windows: who may change the IT policy file or its folder, read from their security descriptors.

Only Administrators, SYSTEM and TrustedInstaller may own or write them. ProgramData's inherited
ACL lets every user create files and folders under it, so a policy folder that merely inherits
it is refused; the MSI creates %ProgramData%\\Caseworker with its own ACL (installers/windows).
The decision (`acl_problem`) is plain Python, tested on every platform; reading the descriptor
(`read_acl`) uses the Win32 security API through ctypes and runs on Windows only.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from caseworker_app.i18n import _

SYSTEM = "S-1-5-18"
ADMINISTRATORS = "S-1-5-32-544"
TRUSTED_INSTALLER = "S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464"
IT_ONLY = frozenset({SYSTEM, ADMINISTRATORS, TRUSTED_INSTALLER})
# Names for the accounts a refusal is most likely to name; any other is shown as its SID.
KNOWN = {
    "S-1-1-0": "Everyone",
    "S-1-5-11": "Authenticated Users",
    "S-1-5-32-545": "Users",
    "S-1-5-4": "INTERACTIVE",
    "S-1-3-0": "CREATOR OWNER",
}

ACCESS_ALLOWED_ACE_TYPE = 0
INHERIT_ONLY_ACE = 0x08
# Any of these lets an account change the file, add files to the folder, or rewrite the ACL.
WRITE_RIGHTS = (
    0x0002  # FILE_WRITE_DATA / FILE_ADD_FILE
    | 0x0004  # FILE_APPEND_DATA / FILE_ADD_SUBDIRECTORY
    | 0x0010  # FILE_WRITE_EA
    | 0x0040  # FILE_DELETE_CHILD
    | 0x0100  # FILE_WRITE_ATTRIBUTES
    | 0x00010000  # DELETE
    | 0x00040000  # WRITE_DAC
    | 0x00080000  # WRITE_OWNER
    | 0x10000000  # GENERIC_ALL
    | 0x40000000  # GENERIC_WRITE
)


@dataclass(frozen=True)
class Ace:
    kind: int  # ACCESS_ALLOWED_ACE_TYPE, or another (deny, audit) that grants nothing
    flags: int
    mask: int
    sid: str


@dataclass(frozen=True)
class Acl:
    owner: str
    aces: tuple[Ace, ...] | None  # None: a NULL DACL, which lets everyone do anything


def _name(sid: str) -> str:
    return KNOWN.get(sid, sid)


def acl_problem(acl: Acl, item: str = "It") -> str | None:
    """Who other than IT could change `item` (a file or folder), as a sentence; None if no one."""
    if acl.owner not in IT_ONLY:
        return _("{item} is owned by {who}, not by Administrators or SYSTEM.").format(item=item, who=_name(acl.owner))
    if acl.aces is None:
        return _("{item} has no access list, so everyone may change it.").format(item=item)
    writers = sorted(
        {
            _name(ace.sid)
            for ace in acl.aces
            if ace.kind == ACCESS_ALLOWED_ACE_TYPE
            and not ace.flags & INHERIT_ONLY_ACE  # applies to what is created inside, not to this
            and ace.mask & WRITE_RIGHTS
            and ace.sid not in IT_ONLY
        }
    )
    if writers:
        return _("{item} may be changed by {who}.").format(item=item, who=", ".join(writers))
    return None


def read_acl(path: Path) -> Acl:  # pragma: no cover - Windows only
    """The owner and the access list of a file or folder, from Windows itself."""
    if sys.platform != "win32":
        raise OSError("reading a Windows access list needs Windows")
    import ctypes
    from ctypes import wintypes

    advapi32 = ctypes.WinDLL("advapi32", use_last_error=True)
    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    se_file_object, owner_info, dacl_info = 1, 0x1, 0x4

    class AceHeader(ctypes.Structure):
        _fields_ = [("AceType", ctypes.c_ubyte), ("AceFlags", ctypes.c_ubyte), ("AceSize", wintypes.WORD)]

    class AllowedAce(ctypes.Structure):
        _fields_ = [("Header", AceHeader), ("Mask", wintypes.DWORD), ("SidStart", wintypes.DWORD)]

    class AclSizeInformation(ctypes.Structure):
        _fields_ = [("AceCount", wintypes.DWORD), ("AclBytesInUse", wintypes.DWORD), ("AclBytesFree", wintypes.DWORD)]

    def sid_text(sid: int) -> str:
        text = wintypes.LPWSTR()
        if not advapi32.ConvertSidToStringSidW(ctypes.c_void_p(sid), ctypes.byref(text)):
            raise ctypes.WinError(ctypes.get_last_error())
        try:
            return str(text.value)
        finally:
            kernel32.LocalFree(text)

    owner, dacl, descriptor = ctypes.c_void_p(), ctypes.c_void_p(), ctypes.c_void_p()
    status = advapi32.GetNamedSecurityInfoW(
        str(path), se_file_object, owner_info | dacl_info,
        ctypes.byref(owner), None, ctypes.byref(dacl), None, ctypes.byref(descriptor),
    )
    if status != 0:
        raise ctypes.WinError(status)
    try:
        owner_sid = sid_text(owner.value or 0)
        if not dacl.value:
            return Acl(owner_sid, None)
        info = AclSizeInformation()
        if not advapi32.GetAclInformation(dacl, ctypes.byref(info), ctypes.sizeof(info), 2):
            raise ctypes.WinError(ctypes.get_last_error())
        aces = []
        for index in range(info.AceCount):
            pointer = ctypes.c_void_p()
            if not advapi32.GetAce(dacl, index, ctypes.byref(pointer)):
                raise ctypes.WinError(ctypes.get_last_error())
            header = ctypes.cast(pointer, ctypes.POINTER(AceHeader)).contents
            if header.AceType != ACCESS_ALLOWED_ACE_TYPE:
                aces.append(Ace(header.AceType, header.AceFlags, 0, ""))
                continue
            ace = ctypes.cast(pointer, ctypes.POINTER(AllowedAce)).contents
            sid_address = (pointer.value or 0) + AllowedAce.SidStart.offset
            aces.append(Ace(header.AceType, header.AceFlags, ace.Mask, sid_text(sid_address)))
        return Acl(owner_sid, tuple(aces))
    finally:
        kernel32.LocalFree(descriptor)
