# The part of nixpkgs' lib that gonix-init's templates and the stand-in use,
# each with the meaning of the nixpkgs file named beside it.
rec {
  # lib/attrsets.nix
  genAttrs =
    names: f:
    builtins.listToAttrs (
      map (n: {
        name = n;
        value = f n;
      }) names
    );

  # lib/strings.nix
  hasPrefix = pre: s: builtins.substring 0 (builtins.stringLength pre) s == pre;
  hasSuffix =
    suf: s:
    let
      n = builtins.stringLength s;
      m = builtins.stringLength suf;
    in
    n >= m && builtins.substring (n - m) m s == suf;

  removeSuffix =
    suffix: s: if hasSuffix suffix s then builtins.substring 0 (builtins.stringLength s - builtins.stringLength suffix) s else s;
  # The file's contents without a final newline.
  fileContents = file: removeSuffix "\n" (builtins.readFile file);

  optionalString = cond: s: if cond then s else "";
  escapeShellArg =
    arg:
    let
      string = toString arg;
    in
    if builtins.match "[[:alnum:],._+:@%/-]+" string == null then
      "'${builtins.replaceStrings [ "'" ] [ "'\\''" ] string}'"
    else
      string;

  # lib/lists.nix
  optional = cond: elem: if cond then [ elem ] else [ ];
  # lib/attrsets.nix
  optionalAttrs = cond: as: if cond then as else { };
  inherit (builtins) any;

  # lib/trivial.nix: builtins.warn (Nix 2.23 and later) prints
  # "evaluation warning: ..."; older Nix gets a trace.
  warn = builtins.warn or (msg: builtins.trace "evaluation warning: ${msg}");
  warnIf = cond: msg: if cond then warn msg else x: x;

  # lib/trivial.nix
  toFunction = v: if builtins.isFunction v then v else _: v;

  # lib/fixed-points.nix: an override may be an attribute set, prev: { },
  # or final: prev: { }.
  toExtension =
    f:
    if builtins.isFunction f then
      final: prev:
      let
        fPrev = f prev;
      in
      if builtins.isFunction fPrev then f final prev else fPrev
    else
      final: prev: f;
  extends =
    overlay: f: final:
    let
      prev = f final;
    in
    prev // overlay final prev;

  # lib/sources.nix: leave out VCS folders, editor backups, build products
  # and nix build's result links.
  cleanSourceFilter =
    name: type:
    let
      baseName = baseNameOf (toString name);
    in
    !(
      (baseName == ".git" || type == "directory" && (baseName == ".svn" || baseName == "CVS" || baseName == ".hg"))
      || hasSuffix "~" baseName
      || builtins.match "^\\.sw[a-z]$" baseName != null
      || builtins.match "^\\..*\\.sw[a-z]$" baseName != null
      || hasSuffix ".o" baseName
      || hasSuffix ".so" baseName
      || (type == "symlink" && hasPrefix "result" baseName)
    );
  cleanSource =
    src:
    builtins.path {
      path = src;
      name = "source";
      filter = cleanSourceFilter;
    };

  # lib/meta.nix: the program named by meta.mainProgram, else the package name.
  getName = x: x.pname or (builtins.parseDrvName x.name).name;
  getExe = x: "${x}/bin/${x.meta.mainProgram or (getName x)}";

  # lib/default.nix: the hash to put where the real one is not
  # known yet; the fixed-output build then fails and prints the real one.
  fakeHash = "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
}
