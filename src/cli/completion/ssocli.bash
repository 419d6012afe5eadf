# bash completion for get_token, acurl and ssocli (installed once per command name).

_ssocli_get_token() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
  case $prev in
    --cacert) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    -u|-m|-p) return ;;
  esac
  case $prev in
    --idp-metadata) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    --browser|--sp-entity-id|--saml-recipient|--port|--sso-timeout) return ;;
  esac
  COMPREPLY=($(compgen -W "-u -m -p -v -h --help --version --force-basic-auth --non-interactive --json
    --cacert --insecure -k --print-sso-cache --clear-sso-cache --clear-all-sso-cache --sso --no-browser
    --browser --idp-metadata --sp-entity-id --saml-recipient --port --sso-timeout" -- "$cur"))
}

_ssocli_acurl() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
  case $prev in
    --cacert|-o|--output|-T|--upload-file) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    -u|-m|-p) return ;;
  esac
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "-u -m -p -v -h --help --force-basic-auth --non-interactive --cacert --insecure -k
      --sso --no-browser --browser --idp-metadata --sp-entity-id --saml-recipient --port --sso-timeout
      -X -H -d -o -s -S -f -i -L --data --header --request --silent --fail --include --location --next" -- "$cur"))
  fi
}

_ssocli_ssocli() {
  local cur=${COMP_WORDS[COMP_CWORD]}
  case $COMP_CWORD in
    1) COMPREPLY=($(compgen -W "zone token saml version help" -- "$cur")) ;;
    2) case ${COMP_WORDS[1]} in
         zone) COMPREPLY=($(compgen -W "serve" -- "$cur")) ;;
         token) COMPREPLY=($(compgen -W "show" -- "$cur")) ;;
         saml) COMPREPLY=($(compgen -W "verify" -- "$cur")) ;;
       esac ;;
    *) case "${COMP_WORDS[1]} ${COMP_WORDS[2]}" in
         "zone serve") COMPREPLY=($(compgen -W "--host --port --tls-cert --tls-key --users --zone-name --saml-zone
           --access-token-validity --refresh-token-validity --refresh-rotation --jwt-refresh-tokens
           --bad-credentials-error --rate-limit --signing-key --issuer --sp-entity-id --idp-key --idp-cert
           --idp-entity-id --idp-recipient --trust-idp-metadata --test-hooks --quiet --help" -- "$cur")) ;;
         "token show") COMPREPLY=($(compgen -W "--json -u --help" -- "$cur")) ;;
         "saml verify") COMPREPLY=($(compgen -f -W "--idp-cert --idp-metadata --audience --recipient --destination
           --in-response-to --issuer --now --skew --allow-sha1 --help" -- "$cur")) ;;
       esac ;;
  esac
}

complete -o default -F _ssocli_get_token get_token
complete -o default -F _ssocli_acurl acurl
complete -F _ssocli_ssocli ssocli
