#!/usr/bin/perl
# registryd's EPP server through an unmodified third-party client: Debian's
# Net::EPP::Simple (libnet-epp-perl). Starts a real registryd with
# tests/system/daemon.py (its "start --json" mode; the daemon is stopped when
# this script closes the pipe, also if it dies), then logs in, says hello,
# polls, acknowledges and logs out. Prints TAP.
#
# Environment: REGCTL, REGISTRYD (and REG_TEST_PG_URL_FILE with
# REG_EPP_BACKEND=pgsql); PYTHON3 names the interpreter (default python3).
use strict;
use warnings;

use Cwd qw(abs_path);
use File::Basename qw(dirname);
use IPC::Open2 qw(open2);
use JSON::PP qw(decode_json);
use Test::More;

use Net::EPP::Simple;
use Net::EPP::Frame::Command::Poll::Req;
use Net::EPP::Frame::Command::Poll::Ack;

use constant EPP_NS => 'urn:ietf:params:xml:ns:epp-1.0';

my $here    = dirname(abs_path($0));
my $python  = $ENV{PYTHON3} || 'python3';
my $backend = $ENV{REG_EPP_BACKEND} || 'sqlite';

my ($from_daemon, $to_daemon);
my $helper = open2($from_daemon, $to_daemon, $python, "$here/daemon.py", 'start', '--json',
                   '--backend', $backend,
                   '--registrar', 'PERL-REG:perl-Pass1',
                   '--registrar', 'PERL-TWO:perl-Pass2');
my $line = <$from_daemon>;
BAIL_OUT('daemon.py start printed nothing (see its error above)') unless defined $line;
my $d = decode_json($line);
note("registryd pid $d->{pid} on $d->{host}:$d->{port} ($d->{backend})");

# If anything below dies, closing the pipe still stops the daemon.
END {
    my $status = $?;
    if ($helper) {
        close($to_daemon);
        waitpid($helper, 0);
    }
    $? = $status;
}

sub connect_epp {
    my (%args) = @_;
    return Net::EPP::Simple->new(
        host        => $d->{host},
        port        => $d->{port},
        user        => $d->{clid},
        pass        => $d->{pw},
        timeout     => 15,
        reconnect   => 0,    # a dropped connection must show, not be re-established
        load_config => 0,    # no ~/.net-epp-simple-rc
        # no "verify": the daemon's certificate is self-signed
        %args,
    );
}

sub first_el {
    my ($doc, $name) = @_;
    return $doc->getElementsByTagNameNS(EPP_NS, $name)->shift;
}

# regctl with the daemon's config: (success, stdout)
sub regctl {
    my (@args) = @_;
    open(my $fh, '-|', $ENV{REGCTL}, '--config', $d->{config}, @args)
        or return (0, "cannot run $ENV{REGCTL}: $!");
    my $out = do { local $/; <$fh> } // '';
    close($fh);
    return ($? == 0, $out);
}

# --- a wrong password --------------------------------------------------------
{
    my $bad = connect_epp(pass => 'wrong-Pass9');
    ok(!defined $bad, 'login with a wrong password fails');
    is($Net::EPP::Simple::Code, 2200, '... with 2200');
}

# --- login ------------------------------------------------------------------
my $epp = connect_epp();
ok($epp, 'login') or BAIL_OUT("login failed: $Net::EPP::Simple::Error");
is($Net::EPP::Simple::Code, 1000, 'login answers 1000');

my $greeting = $epp->greeting;
is(first_el($greeting, 'svID')->textContent, 'registryd', 'greeting svID');
my @objs = map { $_->textContent } $greeting->getElementsByTagNameNS(EPP_NS, 'objURI');
ok((grep { $_ eq 'urn:ietf:params:xml:ns:domain-1.0' } @objs), 'greeting offers domain-1.0');
my @exts = map { $_->textContent } $greeting->getElementsByTagNameNS(EPP_NS, 'extURI');
ok((grep { m{^https://registryd\.org/epp/} } @exts), 'greeting offers registryd extensions');

# --- hello ------------------------------------------------------------------
ok($epp->ping, 'hello (ping) gets a greeting');

# --- poll ---------------------------------------------------------------------
my $r = $epp->request(Net::EPP::Frame::Command::Poll::Req->new);
ok($r, 'poll req answered');
is($r->code, 1300, 'empty queue: 1300');
ok(!first_el($r, 'msgQ'), '... without msgQ');
ok(first_el($r, 'svTRID') && first_el($r, 'svTRID')->textContent, '... with an svTRID');
ok(first_el($r, 'clTRID') && length(first_el($r, 'clTRID')->textContent) == 40,
   '... echoing the client\'s clTRID');

ok((regctl('poll', 'send', $d->{clid}, '--message', 'hello from regctl & <perl>'))[0],
   'regctl poll send');
$r = $epp->request(Net::EPP::Frame::Command::Poll::Req->new);
is($r->code, 1301, 'one message: 1301');
my $q = first_el($r, 'msgQ');
ok($q, '... with msgQ');
is($q && $q->getAttribute('count'), 1, '... count 1');
my $id = $q && $q->getAttribute('id');
ok($id, '... and an id');
is(first_el($q, 'msg')->textContent, 'hello from regctl & <perl>', '... and the text')
    if $q;
ok(first_el($q, 'qDate'), '... and a qDate') if $q;

my $ack = Net::EPP::Frame::Command::Poll::Ack->new;
$ack->setMsgID($id);
$r = $epp->request($ack);
is($r->code, 1000, 'poll ack: 1000');
is(first_el($r, 'msgQ') && first_el($r, 'msgQ')->getAttribute('count'), 0, '... count 0');

$ack = Net::EPP::Frame::Command::Poll::Ack->new;
$ack->setMsgID($id);
$r = $epp->request($ack);
is($r->code, 2303, 'acking it again: 2303');

$r = $epp->request(Net::EPP::Frame::Command::Poll::Req->new);
is($r->code, 1300, 'queue empty again');

# --- an object command: domain:check answers --------------------------------------
my $avail = $epp->check_domain('example.dk');
is($avail, 1, 'check_domain: example.dk is available')
    or diag("code $Net::EPP::Simple::Code: $Net::EPP::Simple::Error");
is($Net::EPP::Simple::Code, 1000, '... with 1000');
ok($epp->ping, 'the session is still up');

# --- a second registrar at the same time --------------------------------------
my $two = connect_epp(user => 'PERL-TWO', pass => 'perl-Pass2', stdobj => 1, stdext => 1);
ok($two, 'a second session (PERL-TWO, standard objects and secDNS only)');
ok($two && $two->logout, 'PERL-TWO logs out');

# --- logout --------------------------------------------------------------------
ok($epp->logout, 'logout');
# Net::EPP::Simple does not keep the logout result code: the audit log has it
my ($log_ok, $log) = regctl('epp-log', '--registrar', $d->{clid});
ok($log_ok, 'regctl epp-log');
like($log, qr/^\S+\s+PERL-REG\s+\S+\s+logout\s+1500\s/m, '... shows the logout answered 1500');
like($log, qr/^\S+\s+PERL-REG\s+\S+\s+hello\s+1000\s/m, '... and the hello')
    or diag($log);

# --- stop the daemon -----------------------------------------------------------
close($to_daemon);
waitpid($helper, 0);
my $exit = $? >> 8;
undef $helper;
is($exit, 0, 'registryd stopped cleanly');

done_testing();
