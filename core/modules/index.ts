// The one list of builtin modules: importing a file registers its module (defineModule) with the runtime.
// builtins and sys are imported by the runtime itself.
import "./gc";
import "./time";
import "./math";
import "./random";
import "./struct";
import "./binascii";
import "./errno";
import "./micropython";
import "./array";
import "./json";
import "./collections";
import "./io";
import "./re";
import "./os";
import "./types";
import "./machine";
