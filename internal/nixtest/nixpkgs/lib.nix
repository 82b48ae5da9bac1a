# The part of nixpkgs' lib that gonix-init's templates use, with the same meaning.
rec {
  genAttrs =
    names: f:
    builtins.listToAttrs (
      map (n: {
        name = n;
        value = f n;
      }) names
    );

  hasPrefix = pre: s: builtins.substring 0 (builtins.stringLength pre) s == pre;
  hasSuffix =
    suf: s:
    let
      n = builtins.stringLength s;
      m = builtins.stringLength suf;
    in
    n >= m && builtins.substring (n - m) m s == suf;

  # As nixpkgs' lib/sources.nix: leave out VCS folders, editor backups,
  # build products and nix build's result links.
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

  getName = x: x.pname or (builtins.parseDrvName x.name).name;

  # As nixpkgs: the program named by meta.mainProgram, else the package name.
  getExe = x: "${x}/bin/${x.meta.mainProgram or (getName x)}";
}
