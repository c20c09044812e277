#!/usr/bin/python3
"""A broken notification server, for the fault tests.

usage: fake-notify.py MODE LOG
  hang          never answers Notify
  error         answers every Notify with a D-Bus error
  die-after-1   answers the first Notify, then leaves the bus (exits)
  hang-after-1  answers the first Notify, never the later ones
Each Notify's summary is appended to LOG as it arrives. Needs the Debian
packages python3-dbus and python3-gi.
"""
import sys

import dbus
import dbus.mainloop.glib
import dbus.service
from gi.repository import GLib

IFACE = "org.freedesktop.Notifications"
mode, log = sys.argv[1], sys.argv[2]
dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
bus = dbus.SessionBus()
loop = GLib.MainLoop()


class Server(dbus.service.Object):
    def __init__(self):
        super().__init__(bus, "/org/freedesktop/Notifications")
        self.count = 0
        self.held = []  # unanswered calls, kept so they stay unanswered

    @dbus.service.method(IFACE, in_signature="susssasa{sv}i", out_signature="u",
                         async_callbacks=("ok", "err"))
    def Notify(self, app, replaces, icon, summary, body, actions, hints, timeout, ok, err):
        self.count += 1
        with open(log, "a") as f:
            f.write(summary + "\n")
        if mode == "hang" or (mode == "hang-after-1" and self.count > 1):
            self.held.append(ok)
        elif mode == "error":
            err(dbus.exceptions.DBusException("the fake server refuses",
                                              name=IFACE + ".Error.Fake"))
        else:
            ok(dbus.UInt32(self.count))
            if mode == "die-after-1":
                GLib.timeout_add(20, loop.quit)

    @dbus.service.method(IFACE, out_signature="as")
    def GetCapabilities(self):
        return ["body", "actions"]

    @dbus.service.method(IFACE, out_signature="ssss")
    def GetServerInformation(self):
        return ("fake", "therapy-timer tests", "0", "1.2")

    @dbus.service.method(IFACE, in_signature="u")
    def CloseNotification(self, id):
        pass


server = Server()
name = dbus.service.BusName(IFACE, bus)
loop.run()
