% N-queens, all solutions, for SWI-Prolog and GNU Prolog (ISO Prolog plus
% between/3): the search of examples/nqueens and bench/guess/nqueens_hand.c.
% Column by column, between/3 tries the rows 0..N-1 in order and a used
% row, rising or falling diagonal fails; Prolog's own backtracking undoes
% the placement.  The used rows and diagonals are bit masks passed along,
% so a check is O(1) as with the C arrays, and the extension steps are the
% same: N per column reached (10,103,868 for N = 12).
%
%   echo '12.' | swipl -O queens.pl       or   gplc queens.pl && echo '12.' | ./queens
%
% Reads N as a term from standard input; prints "solutions S".

:- include('main.pl').

run :-
    read(N),
    (   integer(N), N >= 1
    ->  findall(x, queens(N), Xs),
        length(Xs, S),
        write(solutions(S)), nl
    ;   write(user_error, 'queens.pl: expected a positive integer N followed by a full stop'),
        nl(user_error),
        fail
    ).

queens(N) :- place(0, N, 0, 0, 0).

% place(C, N, Rows, Rising, Falling): queens 0..C-1 are placed; bit R of
% Rows, bit R+C of Rising and bit N+R-C of Falling are the used lines.
place(N, N, _, _, _) :- !.
place(C, N, Rows, Rising, Falling) :-
    Last is N - 1,
    between(0, Last, R),
    RowBit is 1 << R, Rows /\ RowBit =:= 0,
    RisingBit is 1 << (R + C), Rising /\ RisingBit =:= 0,
    FallingBit is 1 << (N + R - C), Falling /\ FallingBit =:= 0,
    C1 is C + 1,
    Rows1 is Rows \/ RowBit,
    Rising1 is Rising \/ RisingBit,
    Falling1 is Falling \/ FallingBit,
    place(C1, N, Rows1, Rising1, Falling1).
